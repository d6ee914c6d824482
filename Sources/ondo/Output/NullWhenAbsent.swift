/// An optional that JSON output writes as `null` instead of leaving its key out, so that every documented key of
/// a `--format json` object is there for scripts (`jq 'has("state")'`), set or not. Synthesised `Encodable`
/// leaves out absent optionals; a wrapped property is encoded through this type's own `encode(to:)`.
@propertyWrapper
struct NullWhenAbsent<Value: Encodable>: Encodable {
    var wrappedValue: Value?

    init(wrappedValue: Value?) {
        self.wrappedValue = wrappedValue
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let value = wrappedValue { try container.encode(value) } else { try container.encodeNil() }
    }
}
