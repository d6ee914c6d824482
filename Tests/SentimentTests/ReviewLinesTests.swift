import Foundation
import Testing

@testable import Sentiment

@Suite struct ReviewLinesTests {
    @Test func splitsLinesAcceptingCRLFAndAMissingFinalNewline() throws {
        let lines = try ReviewLines.parse(Data("좋아요\r\n\n별로\t예요\r\n  \n마지막".utf8))
        #expect(lines == ["좋아요", "", "별로\t예요", "  ", "마지막"])
    }

    @Test func readsNothingFromNothing() throws {
        #expect(try ReviewLines.parse(Data()) == [])
        #expect(try ReviewLines.parse(Data("\n".utf8)) == [""])
    }

    /// Invalid bytes are refused with the line they are on, not replaced and scored as U+FFFD.
    @Test func refusesInvalidUTF8NamingTheLine() {
        var data = Data("좋아요\n괜찮아요\n".utf8)
        data.append(contentsOf: [0x61, 0xFF, 0x62, 0x0A])
        #expect(throws: ReviewLines.ReadError.notUTF8(line: 3)) { try ReviewLines.parse(data) }
    }

    @Test func blankLinesAreFoundByNumber() {
        #expect(ReviewLines.blank(["좋아요", "", " \t", "별로"]) == [2, 3])
    }
}
