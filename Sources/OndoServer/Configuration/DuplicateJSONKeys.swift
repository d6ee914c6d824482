/// Finds a key written twice in one JSON object. Foundation's `JSONDecoder` keeps the first and drops the
/// rest without a word, while an operator who appends an override to a configuration file expects the last to
/// count; so a repeated key is refused instead of guessed at.
enum DuplicateJSONKeys {
    /// The dotted path of the first key that repeats within its object (`pipeline.workers`), or nil. `json` is
    /// assumed well-formed; on malformed input the answer is nil and the decoder reports the problem.
    static func first(in json: [UInt8]) -> String? {
        var scanner = Scanner(bytes: json)
        return scanner.value(path: [])
    }

    private struct Scanner {
        let bytes: [UInt8]
        var index = 0

        init(bytes: [UInt8]) { self.bytes = bytes }

        /// Skips one value; returns the path of a repeated key inside it, if any.
        mutating func value(path: [String]) -> String? {
            skipWhitespace()
            guard index < bytes.count else { return nil }
            switch bytes[index] {
            case UInt8(ascii: "{"): return object(path: path)
            case UInt8(ascii: "["): return array(path: path)
            case UInt8(ascii: "\""):
                _ = string()
                return nil
            default:
                // A number, true, false or null: up to the next delimiter.
                while index < bytes.count, !Self.delimiters.contains(bytes[index]) { index += 1 }
                return nil
            }
        }

        private static let delimiters: Set<UInt8> = Set(",]} \t\r\n".utf8)

        private mutating func object(path: [String]) -> String? {
            index += 1
            var seen: Set<String> = []
            while true {
                skipWhitespace()
                guard index < bytes.count else { return nil }
                if bytes[index] == UInt8(ascii: "}") {
                    index += 1
                    return nil
                }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                    continue
                }
                guard bytes[index] == UInt8(ascii: "\""), let key = string() else { return nil }
                if !seen.insert(key).inserted { return (path + [key]).joined(separator: ".") }
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
                index += 1
                if let repeated = value(path: path + [key]) { return repeated }
            }
        }

        private mutating func array(path: [String]) -> String? {
            index += 1
            var position = 0
            while true {
                skipWhitespace()
                guard index < bytes.count else { return nil }
                if bytes[index] == UInt8(ascii: "]") {
                    index += 1
                    return nil
                }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                    position += 1
                    continue
                }
                let before = index
                if let repeated = value(path: path + ["\(position)"]) { return repeated }
                if index == before { return nil }  // not a value: malformed, left to the decoder
            }
        }

        /// Reads a string starting at its opening quote; its text with escapes kept as written (two spellings of
        /// one key are not told apart, which only matters for keys nobody writes).
        private mutating func string() -> String? {
            index += 1
            let start = index
            while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
            }
            guard index < bytes.count else { return nil }
            let text = String(decoding: bytes[start..<index], as: UTF8.self)
            index += 1
            return text
        }

        private mutating func skipWhitespace() {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }
    }
}
