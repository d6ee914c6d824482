import Foundation
import Postgres
import Testing

/// The hand-written JSON of the pipeline's payloads parses back to what was written.
@Suite struct JSONWriterTests {
    @Test func escapesEveryStringJSONRequires() throws {
        let strings = [
            "", "plain", "따옴표 \"인용\"", "back\\slash", "tab\tnew\nline", "crlf\r\nend", "\r\n", "bell\u{07}nul\u{00}",
            "\u{1F}", "이모지 😡👍🏽", "e\u{301}\r\n\u{301}", "\u{7F}del",
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
                json.field("nan", Double.nan)
                json.field("missing", nil as Int64?)
                json.field("flag", index == 1)
                json.field("aspects", index == 1 ? [] : ["배송", "품질"])
                json.key("nested")
                json.array([Double.infinity, 2.5]) { json, value in json.value(value) }
            }
        }
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(json.text.utf8)) as? [[String: Any]])
        #expect(parsed.count == 2)
        #expect(parsed[0]["id"] as? Int64 == Int64.max - 1)
        #expect(parsed[1]["small"] as? Int == Int(Int32.min))
        #expect(parsed[1]["score"] as? Double == 0.2)
        #expect(parsed[0]["tiny"] as? Double == 1e-7)
        #expect(parsed[0]["nan"] is NSNull)
        #expect(parsed[0]["missing"] is NSNull)
        #expect(parsed[0]["flag"] as? Bool == true)
        #expect(parsed[1]["aspects"] as? [String] == ["배송", "품질"])
        #expect((parsed[0]["nested"] as? [Any])?.first is NSNull)
        #expect((parsed[0]["nested"] as? [Any])?.last as? Double == 2.5)
    }
}
