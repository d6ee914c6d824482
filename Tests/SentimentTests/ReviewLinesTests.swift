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

    /// Bytes cut anywhere — inside a line, between "\r" and "\n", inside a UTF-8 sequence — give the lines of the
    /// whole, each as soon as its newline has arrived.
    @Test func piecesGiveTheLinesOfTheWhole() throws {
        let input = Array("좋아요\r\n\n별로\t예요\r\n  \n마지막".utf8)
        for cut in 0...input.count {
            var splitter = ReviewLineSplitter()
            let first = try splitter.lines(in: input[..<cut])
            #expect(first.count == input[..<cut].filter { $0 == 0x0A }.count, "cut at \(cut): \(first)")
            let rest = try splitter.lines(in: input[cut...]) + splitter.finish()
            #expect(first + rest == ["좋아요", "", "별로\t예요", "  ", "마지막"], "cut at \(cut)")
        }
        var splitter = ReviewLineSplitter()
        #expect(try splitter.lines(in: Array("하나\n둘".utf8)) == ["하나"])
        #expect(try splitter.lines(in: Array("셋".utf8)) == [])
        #expect(try splitter.lines(in: Array("\n".utf8)) == ["둘셋"])
        #expect(try splitter.finish() == [])
        #expect(splitter.linesRead == 2)
    }

    @Test func piecesRefuseInvalidUTF8NamingTheLine() throws {
        var splitter = ReviewLineSplitter()
        #expect(try splitter.lines(in: Array("좋아요\n괜찮아요\n".utf8)).count == 2)
        #expect(try splitter.lines(in: [0x61, 0xFF, 0x0A]) == [])
        #expect(throws: ReviewLines.ReadError.notUTF8(line: 3)) { try splitter.finish() }
    }

    /// The lines before a bad one in the same piece are given before the refusal, which comes with the next call:
    /// `predict` prints every line before the bad one (it dropped the rest of the 64 KB piece that held it).
    @Test func linesBeforeABadOneInTheSamePieceAreGivenFirst() throws {
        var splitter = ReviewLineSplitter()
        #expect(try splitter.lines(in: Array("좋아요\n별로\na".utf8) + [0xFF, 0x0A] + Array("최고\n".utf8)) == ["좋아요", "별로"])
        #expect(throws: ReviewLines.ReadError.notUTF8(line: 3)) { try splitter.lines(in: Array("또\n".utf8)) }
        var ending = ReviewLineSplitter()
        #expect(try ending.lines(in: Array("좋아요\n".utf8) + [0xFF, 0x0A]) == ["좋아요"])
        #expect(throws: ReviewLines.ReadError.notUTF8(line: 2)) { try ending.finish() }
    }

    /// A byte-order mark at the start of the input (a file saved by Notepad) is not part of the first review: it was
    /// printed back with it, invisible, in every format.
    @Test func aByteOrderMarkAtTheStartIsDropped() throws {
        #expect(try ReviewLines.parse(Data("\u{FEFF}좋아요\n\u{FEFF}별로\n".utf8)) == ["좋아요", "\u{FEFF}별로"])
        var splitter = ReviewLineSplitter()
        let bom = Array("\u{FEFF}".utf8)
        #expect(try splitter.lines(in: bom.prefix(2)) == [])
        #expect(try splitter.lines(in: bom.dropFirst(2) + Array("좋아요\n".utf8)) == ["좋아요"])
    }

    @Test func blankLinesAreFoundByNumber() {
        #expect(ReviewLines.blank(["좋아요", "", " \t", "별로"]) == [2, 3])
    }
}
