import Foundation

/// A Swift value that can be sent to PostgreSQL as a bind parameter (in text format).
///
/// Conform your own types by giving their PostgreSQL type and text form; `RawRepresentable` types whose raw
/// value is encodable (for example `enum Status: String`) get both for free.
public protocol PostgresEncodable: Sendable {
    /// The PostgreSQL type this value is sent as.
    static var postgresDataType: PostgresDataType { get }
    /// The value in PostgreSQL's text input format. Throws `PostgresError` with code `.encoding` when the value
    /// has no text form (for example text containing a NUL character).
    func postgresText() throws -> String
}

extension PostgresEncodable {
    /// The PostgreSQL type of this value (its type's `postgresDataType`).
    public var postgresDataType: PostgresDataType { Self.postgresDataType }
}

extension PostgresEncodable where Self: RawRepresentable, RawValue: PostgresEncodable {
    /// The raw value's PostgreSQL type.
    public static var postgresDataType: PostgresDataType { RawValue.postgresDataType }
    /// The raw value's text form.
    public func postgresText() throws -> String { try rawValue.postgresText() }
}

/// A Swift value that can be read from a PostgreSQL result column (in text format).
public protocol PostgresDecodable: Sendable {
    /// Decodes the text form of a non-NULL column value of type `type`.
    ///
    /// Throw `PostgresDecodingFailure` with a short reason; the row adds the column name and type.
    static func decode(postgresText text: String, type: PostgresDataType) throws -> Self
    /// The value that SQL NULL decodes to, or `nil` when this type cannot represent NULL (the default).
    static var postgresNullValue: Self? { get }
}

extension PostgresDecodable {
    /// Non-optional types cannot represent NULL.
    public static var postgresNullValue: Self? { nil }
}

extension PostgresDecodable where Self: RawRepresentable, RawValue: PostgresDecodable {
    /// Decodes the raw value, then the case; an unknown raw value is a decoding failure.
    public static func decode(postgresText text: String, type: PostgresDataType) throws -> Self {
        let raw = try RawValue.decode(postgresText: text, type: type)
        guard let value = Self(rawValue: raw) else {
            throw PostgresDecodingFailure("not a valid \(Self.self)")
        }
        return value
    }
}

/// Both directions at once.
public typealias PostgresCodable = PostgresEncodable & PostgresDecodable

/// Why a column value could not be decoded; `PostgresRow` turns it into a `PostgresError` naming the column.
public struct PostgresDecodingFailure: Error, Sendable {
    /// A short reason that never contains the value itself.
    public var reason: String

    /// Creates a failure with a short reason.
    public init(_ reason: String) {
        self.reason = reason
    }
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    /// Decodes the wrapped type.
    public static func decode(postgresText text: String, type: PostgresDataType) throws -> Self {
        try Wrapped.decode(postgresText: text, type: type)
    }

    /// SQL NULL decodes to `nil`.
    public static var postgresNullValue: Self? { .some(nil) }
}

extension PostgresError {
    static func unencodable(_ reason: String) -> PostgresError {
        PostgresError(code: .encoding, message: reason)
    }
}

/// Rejects NUL characters, which PostgreSQL text values cannot hold.
func checkedText(_ text: String) throws -> String {
    // memchr over a native string's bytes: the generic `contains` walked the UTF-8 view byte by byte, 1.5 % of
    // `ondo serve`'s CPU in a drain (every state row's reasons pass here as JSON text).
    let hasNUL =
        text.utf8.withContiguousStorageIfAvailable { bytes in
            bytes.baseAddress.map { memchr($0, 0, bytes.count) != nil } ?? false
        } ?? text.utf8.contains(0)
    if hasNUL {
        throw PostgresError.unencodable("text values cannot contain the NUL character (U+0000)")
    }
    return text
}
