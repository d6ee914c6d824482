import Foundation

extension String: PostgresCodable {
    /// Sent as `text`.
    public static var postgresDataType: PostgresDataType { .text }
    /// The string itself; throws for a NUL character, which PostgreSQL text cannot hold.
    public func postgresText() throws -> String { try checkedText(self) }
    /// Any column decodes to its PostgreSQL text form.
    public static func decode(postgresText text: String, type: PostgresDataType) -> String { text }
}

extension Bool: PostgresCodable {
    /// Sent as `boolean`.
    public static var postgresDataType: PostgresDataType { .bool }
    /// `true` or `false`.
    public func postgresText() -> String { self ? "true" : "false" }
    /// Decodes `boolean` columns.
    public static func decode(postgresText text: String, type: PostgresDataType) throws -> Bool {
        guard type == .bool else { throw PostgresDecodingFailure("expected a boolean column") }
        switch text {
        case "t": return true
        case "f": return false
        default: throw PostgresDecodingFailure("not a boolean")
        }
    }
}

extension UUID: PostgresCodable {
    /// Sent as `uuid`.
    public static var postgresDataType: PostgresDataType { .uuid }
    /// The canonical hyphenated form.
    public func postgresText() -> String { uuidString.lowercased() }
    /// Decodes `uuid` columns.
    public static func decode(postgresText text: String, type: PostgresDataType) throws -> UUID {
        guard type == .uuid || type == .text || type == .varchar else {
            throw PostgresDecodingFailure("expected a uuid column")
        }
        guard let value = UUID(uuidString: text) else { throw PostgresDecodingFailure("not a UUID") }
        return value
    }
}

extension Data: PostgresCodable {
    /// Sent as `bytea`.
    public static var postgresDataType: PostgresDataType { .bytea }
    /// The hex form `\x0a1b…`.
    public func postgresText() -> String {
        let digits = Array("0123456789abcdef".utf8)
        var bytes: [UInt8] = [UInt8(ascii: "\\"), UInt8(ascii: "x")]
        bytes.reserveCapacity(2 + count * 2)
        for byte in self {
            bytes.append(digits[Int(byte >> 4)])
            bytes.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Decodes `bytea` columns (the connection asks for hex output).
    public static func decode(postgresText text: String, type: PostgresDataType) throws -> Data {
        guard type == .bytea else { throw PostgresDecodingFailure("expected a bytea column") }
        let utf8 = Array(text.utf8)
        guard utf8.count >= 2, utf8[0] == UInt8(ascii: "\\"), utf8[1] == UInt8(ascii: "x"), utf8.count % 2 == 0
        else { throw PostgresDecodingFailure("not bytea hex output") }
        func nibble(_ c: UInt8) throws -> UInt8 {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
            default: throw PostgresDecodingFailure("not bytea hex output")
            }
        }
        var data = Data(capacity: (utf8.count - 2) / 2)
        var index = 2
        while index < utf8.count {
            data.append(try nibble(utf8[index]) << 4 | nibble(utf8[index + 1]))
            index += 2
        }
        return data
    }
}

extension Date: PostgresCodable {
    /// Sent as `timestamptz` in UTC with microsecond precision (PostgreSQL's resolution).
    public static var postgresDataType: PostgresDataType { .timestamptz }
    /// `YYYY-MM-DD HH:MM:SS.ffffff+00`; throws for dates before year 1 or after 9999.
    public func postgresText() throws -> String {
        guard let text = PostgresTimestamp.format(self) else {
            throw PostgresError.unencodable("dates before year 1 or after year 9999 are not supported")
        }
        return text
    }

    /// Decodes `timestamptz`, `timestamp` (read as UTC) and `date` (midnight UTC) columns; `infinity` and
    /// `-infinity` become `distantFuture` and `distantPast`.
    public static func decode(postgresText text: String, type: PostgresDataType) throws -> Date {
        guard type == .timestamptz || type == .timestamp || type == .date else {
            throw PostgresDecodingFailure("expected a timestamptz, timestamp or date column")
        }
        guard let date = PostgresTimestamp.parse(text) else {
            throw PostgresDecodingFailure("not an ISO timestamp")
        }
        return date
    }
}
