import Foundation

// Reading the fields of a stored reason whose code this build does not know
// (``StateReason/unrecognized(code:fields:)``).

extension StateReason {
    /// Every field but `code`, ordered by key (jsonb keeps no order of its own).
    static func storedFields(from decoder: any Decoder) throws -> [StoredReasonField] {
        let c = try decoder.container(keyedBy: StoredReasonKey.self)
        return try c.allKeys.filter { $0.stringValue != "code" }.sorted { $0.stringValue < $1.stringValue }.map {
            key in
            let value: StoredReasonValue
            if let integer = try? c.decode(Int64.self, forKey: key) {
                value = .integer(integer)
            } else if let number = try? c.decode(Double.self, forKey: key) {
                value = .number(number)
            } else if let text = try? c.decode(String.self, forKey: key) {
                value = .text(text)
            } else if let texts = try? c.decode([String].self, forKey: key) {
                value = .texts(texts)
            } else {
                value = .text(try c.decode(AnyJSONValue.self, forKey: key).text)
            }
            return StoredReasonField(key: key.stringValue, value: value)
        }
    }
}

/// A reason's JSON key given by name: the keys of ``StateReason/storedFields``, this build's or another's.
struct StoredReasonKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }

    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// Any JSON value, read to be written back as compact JSON text (keys sorted): a field of an unknown reason that
/// is not a number, a text or a list of texts.
enum AnyJSONValue: Decodable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([AnyJSONValue])
    case object([String: AnyJSONValue])

    init(from decoder: any Decoder) throws {
        if let object = try? decoder.container(keyedBy: StoredReasonKey.self) {
            var values: [String: AnyJSONValue] = [:]
            for key in object.allKeys { values[key.stringValue] = try object.decode(AnyJSONValue.self, forKey: key) }
            self = .object(values)
        } else if var array = try? decoder.unkeyedContainer() {
            var values: [AnyJSONValue] = []
            while !array.isAtEnd { values.append(try array.decode(AnyJSONValue.self)) }
            self = .array(values)
        } else {
            let single = try decoder.singleValueContainer()
            if single.decodeNil() {
                self = .null
            } else if let bool = try? single.decode(Bool.self) {
                self = .bool(bool)
            } else if let number = try? single.decode(Double.self) {
                self = .number(number)
            } else {
                self = .string(try single.decode(String.self))
            }
        }
    }

    var text: String {
        switch self {
        case .null: "null"
        case .bool(let bool): bool ? "true" : "false"
        case .number(let number):
            number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : "\(number)"
        case .string(let string): Self.quoted(string)
        case .array(let values): "[" + values.map(\.text).joined(separator: ",") + "]"
        case .object(let values): Self.object(values)
        }
    }

    private static func object(_ values: [String: AnyJSONValue]) -> String {
        let members = values.sorted { $0.key < $1.key }.map { quoted($0.key) + ":" + $0.value.text }
        return "{" + members.joined(separator: ",") + "}"
    }

    private static func quoted(_ string: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        return String(decoding: (try? encoder.encode(string)) ?? Data(#""""#.utf8), as: UTF8.self)
    }
}
