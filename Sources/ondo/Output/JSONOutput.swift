import Foundation

/// Prints a value as pretty JSON with sorted keys and ISO 8601 dates, for scripts.
enum JSONOutput {
    static func print<Value: Encodable>(_ value: Value) throws {
        FileHandle.standardOutput.write(Data((try text(value) + "\n").utf8))
    }

    /// The text ``print(_:)`` writes, without the final line break.
    static func text<Value: Encodable>(_ value: Value) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return compactingEmptyContainers(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    /// Foundation's pretty printer on Linux writes an empty array or object as `[`, a blank line, `]`: `ondo customer
    /// list --format json` on a shop with no assessed customer printed three lines. They are `[]` and `{}`. A line
    /// break inside a JSON string is escaped (`\n`), so a bracket, raw line breaks and spaces, and its closing bracket are
    /// the printer's own.
    static func compactingEmptyContainers(_ json: String) -> String {
        json.replacingOccurrences(of: #"\[[ ]*\n\s*\]"#, with: "[]", options: .regularExpression)
            .replacingOccurrences(of: #"\{[ ]*\n\s*\}"#, with: "{}", options: .regularExpression)
    }
}
