import Foundation

extension OndoConfiguration {
    /// A decoding error as a sentence naming the setting and what it needs, in words.
    static func explain(_ error: DecodingError, in data: Data) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map(\.stringValue).joined(separator: ".")
            return keys.isEmpty ? "" : "\(keys): "
        }
        switch error {
        case .typeMismatch(let type, let context):
            return "\(path(context))expected \(kind(type))"
        case .valueNotFound(_, let context):
            return "\(path(context))a value is required"
        case .keyNotFound(let key, let context):
            return "\(path(context))missing key \(key.stringValue)"
        case .dataCorrupted(let context) where !context.codingPath.isEmpty:
            return "\(path(context))not a valid value"
        case .dataCorrupted:
            // Foundation on Linux reports a fraction (or a number beyond 64 bits) given for a whole-number
            // setting as "not valid JSON", without the key: find the number so the sentence can name it.
            if let setting = settingHoldingAnUnrepresentableNumber(in: data) {
                return "\(setting): expected a whole number"
            }
            return "not valid JSON"
        @unknown default:
            return "not a valid configuration"
        }
    }

    /// The setting a type stands for, in words.
    private static func kind(_ type: Any.Type) -> String {
        if type == String.self { return "a string" }
        if type == Int.self { return "a whole number" }
        if type == Double.self { return "a number" }
        if type == Bool.self { return "true or false" }
        let name = "\(type)"
        if name.hasPrefix("Dictionary") { return "an object" }
        if name.hasPrefix("Array") { return "a list" }
        return name
    }

    /// When `data` is valid JSON but fails to decode without a coding path, the dotted path of the number that
    /// makes it fail: each fractional or huge number is tried alone, the others rounded to whole numbers.
    private static func settingHoldingAnUnrepresentableNumber(in data: Data) -> String? {
        guard let tree = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else {
            return nil
        }
        let suspects = suspectNumbers(in: tree, at: [])
        for suspect in suspects {
            let others = Set(suspects.filter { $0 != suspect })
            guard let trial = try? JSONSerialization.data(withJSONObject: rounding(tree, at: [], only: others)),
                case .dataCorrupted(let context)? = decodingError(trial), context.codingPath.isEmpty
            else { continue }
            return suspect.joined(separator: ".")
        }
        return nil
    }

    private static func decodingError(_ data: Data) -> DecodingError? {
        do {
            _ = try JSONDecoder().decode(OndoConfiguration.self, from: data)
            return nil
        } catch {
            return error as? DecodingError
        }
    }

    /// Paths of numbers that are not whole or do not fit in 64 bits.
    private static func suspectNumbers(in value: Any, at path: [String]) -> [[String]] {
        if let object = value as? [String: Any] {
            return object.keys.sorted().flatMap { suspectNumbers(in: object[$0] as Any, at: path + [$0]) }
        }
        if let array = value as? [Any] {
            return array.indices.flatMap { suspectNumbers(in: array[$0], at: path + ["\($0)"]) }
        }
        if let number = value as? NSNumber, !(value is String) {
            let double = number.doubleValue
            if double.rounded() != double || abs(double) >= 9.2e18 { return [path] }
        }
        return []
    }

    /// `value` with the numbers at `paths` rounded (and clamped) to whole numbers.
    private static func rounding(_ value: Any, at path: [String], only paths: Set<[String]>) -> Any {
        if let object = value as? [String: Any] {
            return object.reduce(into: [String: Any]()) {
                $0[$1.key] = rounding($1.value, at: path + [$1.key], only: paths)
            }
        }
        if let array = value as? [Any] {
            return array.enumerated().map { rounding($1, at: path + ["\($0)"], only: paths) }
        }
        if paths.contains(path), let number = value as? NSNumber {
            return Int(max(-9e18, min(9e18, number.doubleValue.rounded())))
        }
        return value
    }
}
