/// Encodes rows in COPY's text format and hands them to the server in chunks; see `PostgresConnection.copyFrom`.
///
/// Each value is written in its PostgreSQL text form with `\`, tab, newline and carriage return escaped, and
/// NULL as `\N`. Chunks are sent by byte count, so multi-byte UTF-8 text (Korean, emoji) arrives intact.
public struct PostgresCopyWriter {
    let columnCount: Int
    var buffer: [UInt8] = []
    let send: ([UInt8]) throws -> Void
    /// Rows appended so far.
    public private(set) var rowCount = 0

    static let chunkSize = 64 * 1024

    init(columnCount: Int, send: @escaping ([UInt8]) throws -> Void) {
        self.columnCount = columnCount
        self.send = send
        buffer.reserveCapacity(Self.chunkSize + 1024)
    }

    /// Appends one row; it must have one value per column, `nil` for NULL.
    public mutating func append(_ row: [(any PostgresEncodable)?]) throws {
        guard row.count == columnCount else {
            throw PostgresError(
                code: .misuse, message: "COPY row \(rowCount + 1) has \(row.count) values for \(columnCount) columns")
        }
        for (index, value) in row.enumerated() {
            if index > 0 { buffer.append(UInt8(ascii: "\t")) }
            guard let value else {
                buffer.append(UInt8(ascii: "\\"))
                buffer.append(UInt8(ascii: "N"))
                continue
            }
            Self.appendEscaped(try checkedText(value.postgresText()), to: &buffer)
        }
        buffer.append(UInt8(ascii: "\n"))
        rowCount += 1
        if buffer.count >= Self.chunkSize { try flush() }
    }

    mutating func flush() throws {
        guard !buffer.isEmpty else { return }
        try send(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    static func appendEscaped(_ text: String, to buffer: inout [UInt8]) {
        let utf8 = text.utf8
        if !utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 < 0x20 }) {
            buffer.append(contentsOf: utf8)
            return
        }
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "\\"): buffer += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case UInt8(ascii: "\t"): buffer += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case UInt8(ascii: "\n"): buffer += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case UInt8(ascii: "\r"): buffer += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            default: buffer.append(byte)
            }
        }
    }
}
