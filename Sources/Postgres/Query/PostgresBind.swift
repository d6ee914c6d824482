/// One bind parameter: the value's PostgreSQL text form (or NULL) and its type.
///
/// The text never appears in logs or errors.
public struct PostgresBind: Sendable, Hashable {
    /// The value in PostgreSQL's text input format; `nil` is SQL NULL.
    public var text: String?
    /// The parameter type sent to the server.
    public var type: PostgresDataType

    /// A bind from an already-encoded text value.
    public init(text: String?, type: PostgresDataType) {
        self.text = text
        self.type = type
    }

    /// Encodes a value, or NULL for `nil`.
    public init(_ value: (any PostgresEncodable)?) throws {
        if let value {
            self.init(text: try value.postgresText(), type: value.postgresDataType)
        } else {
            self.init(text: nil, type: .unspecified)
        }
    }

    /// Encodes an optional value of a known type; NULL keeps the wrapped type so the server can plan with it.
    public init<Value: PostgresEncodable>(_ value: Value?) throws {
        if let value {
            self.init(text: try value.postgresText(), type: Value.postgresDataType)
        } else {
            self.init(text: nil, type: Value.postgresDataType)
        }
    }
}
