import Foundation
import Postgres
import Testing

/// The hand-written JSON of the pipeline's payloads parses back to what was written.
@Suite struct JSONWriterTests {
    @Test func escapesEveryStringJSONRequires() throws {
        let strings = [
            "", "plain", "따옴표 \"인용\"", "back\\slash", "tab\tnew\nline", "crlf\r\nend", "\r\n", "bell\u{07}nul\u{00}",
            "\u{1F}", "이모지 😡👍🏽", "e\u{301}\r\n\u{301}", "\u{7F}del",
            // Long, bridged from an NSString (not native UTF-8), and a long one with an escape only at its end.
            String(repeating: "리뷰 text ", count: 5_000), NSString(string: "bridged \"quote\" 다") as String,
            NSString(string: "bridged plain 다") as String, String(repeating: "a", count: 70_000) + "\n",
        ]
        var json = JSONWriter()
        json.value(strings)
        let parsed = try JSONDecoder().decode([String].self, from: Data(json.text.utf8))
        #expect(parsed == strings)
        #expect(json.text.unicodeScalars.allSatisfy { $0.value >= 0x20 }, "no raw control character is left")
    }

    @Test func writesNumbersNullsAndNestingWithCommasInPlace() throws {
        var json = JSONWriter()
        json.array([1, 2]) { json, index in
            json.object { json in
                json.field("id", Int64.max - Int64(index))
                json.field("small", Int32.min)
                json.field("score", 0.1 * Double(index))
                json.field("tiny", 1e-7)
                json.field("whole", 1_234_567.0)
                json.field("missing", nil as Int64?)
                json.field("flag", index == 1)
                json.field("aspects", index == 1 ? [] : ["배송", "품질"])
                json.key("nested")
                json.array([-3.0, 2.5]) { json, value in json.value(value) }
            }
        }
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(json.text.utf8)) as? [[String: Any]])
        #expect(parsed.count == 2)
        #expect(parsed[0]["id"] as? Int64 == Int64.max - 1)
        #expect(parsed[1]["small"] as? Int == Int(Int32.min))
        #expect(parsed[1]["score"] as? Double == 0.2)
        #expect(parsed[0]["tiny"] as? Double == 1e-7)
        #expect(
            json.text.contains("\"whole\":1234567,"),
            "a whole number is written without a fraction, as JSONEncoder does")
        #expect(parsed[0]["missing"] is NSNull)
        #expect(parsed[0]["flag"] as? Bool == true)
        #expect(parsed[1]["aspects"] as? [String] == ["배송", "품질"])
        #expect((parsed[0]["nested"] as? [Any])?.first as? Double == -3)
        #expect((parsed[0]["nested"] as? [Any])?.last as? Double == 2.5)
        #expect(json.nonFiniteNumbers == 0)
    }

    /// JSON has no NaN or infinity: the writer puts `null` in their place and counts them, and the document is
    /// refused rather than stored with a silently missing number.
    @Test func aNonFiniteNumberIsRefused() throws {
        var json = JSONWriter()
        json.array([1.5, .nan, -.infinity]) { json, value in json.value(value) }
        #expect(json.text == "[1.5,null,null]")
        #expect(json.nonFiniteNumbers == 2)
        let refused = #expect(throws: PostgresError.self) {
            try PostgresJSON(writing: { json in json.object { json in json.field("risk", Double.nan) } })
        }
        #expect(refused?.code == .encoding)
        let accepted = try PostgresJSON(writing: { json in json.object { json in json.field("risk", 0.25) } })
        #expect(accepted.text == "{\"risk\":0.25}")
    }
}
