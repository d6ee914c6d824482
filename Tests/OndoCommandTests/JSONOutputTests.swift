import CRM
import Foundation
import Testing

@testable import ondo

/// `JSONOutput.compactingEmptyContainers` scans the bytes rather than running two regular expressions; its text must
/// stay what it was.
@Suite struct JSONOutputTests {
    /// The code before, unchanged.
    static func oracle(_ json: String) -> String {
        json.replacingOccurrences(of: #"\[[ ]*\n\s*\]"#, with: "[]", options: .regularExpression)
            .replacingOccurrences(of: #"\{[ ]*\n\s*\}"#, with: "{}", options: .regularExpression)
    }

    struct Row: Encodable {
        var name: String
        var list: [Int]
        var nested: [[String: [Int]]]
        var object: [String: String]
        var risk: Double
    }

    @Test func compactingIsByteForByteTheOldRegularExpressions() throws {
        let texts = [
            "[ ]", "[", "{", "[\n", "[\n  ]", "{\n}", "[ \n \t\n ]x", "[x\n]", "{\n  \"a\" : [\n\n  ]\n}",
            "[\n  {\n  }\n]", "\"[\\n]\"", "[\u{2028}\n]", "[\n\u{2028}]", "김[\n]민", "",
        ]
        let names = ["", "[", "{ }", "[\n]", "a [ \n ] b", "{\n}", "\u{2028}", "김민지 👩‍👩‍👧", "say \"hi\"", "\\[\\n]"]
        var rows: [Row] = []
        for (index, name) in names.enumerated() {
            rows.append(
                Row(
                    name: name, list: Array(0..<(index % 3)), nested: index % 2 == 0 ? [] : [[:], ["k": []]],
                    object: index % 3 == 0 ? [:] : [name: name], risk: Double(index) / 7))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var inputs = texts
        inputs.append(String(decoding: try encoder.encode(rows), as: UTF8.self))
        inputs.append(String(decoding: try encoder.encode([Row]()), as: UTF8.self))
        inputs.append(String(decoding: try encoder.encode([String: [Int]]()), as: UTF8.self))
        for input in inputs {
            #expect(
                Array(JSONOutput.compactingEmptyContainers(input).utf8) == Array(Self.oracle(input).utf8),
                "\(input.debugDescription)")
        }
    }
}
