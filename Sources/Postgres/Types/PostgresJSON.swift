import Foundation

/// A JSON document stored in a `jsonb` (or `json`) column, kept as its text.
///
/// Bind it to send `jsonb`; decode a column as `PostgresJSON` and then `decode(_:)` it into a `Decodable` type.
public struct PostgresJSON: PostgresCodable, Hashable {
    /// The JSON text.
    public var text: String

    /// Wraps JSON text as is (the server validates it).
    public init(text: String) {
        self.text = text
    }

    /// Encodes a value with `JSONEncoder`.
    public init<Value: Encodable>(encoding value: Value, encoder: JSONEncoder = JSONEncoder()) throws {
        let data = try encoder.encode(value)
        self.text = String(decoding: data, as: UTF8.self)
    }

    /// Decodes the document into a `Decodable` type.
    public func decode<Value: Decodable>(_ type: Value.Type, decoder: JSONDecoder = JSONDecoder()) throws -> Value {
        try decoder.decode(type, from: Data(text.utf8))
    }

    /// Sent as `jsonb`.
    public static var postgresDataType: PostgresDataType { .jsonb }

    /// The JSON text.
    public func postgresText() throws -> String { try checkedText(text) }

    /// Decodes `json` and `jsonb` columns.
    public static func decode(postgresText text: String, type: PostgresDataType) throws -> PostgresJSON {
        guard type == .json || type == .jsonb else { throw PostgresDecodingFailure("expected a json or jsonb column") }
        return PostgresJSON(text: text)
    }
}
