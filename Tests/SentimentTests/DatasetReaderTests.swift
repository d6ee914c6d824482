import Foundation
import Testing

@testable import Sentiment

@Suite struct DatasetReaderTests {
    @Test func detectsNSMCByItsHeader() throws {
        let data = try DatasetReader.parse("id\tdocument\tlabel\n1\t좋아요\t1\n2\t별로\t0\n")
        #expect(data.format == .nsmc)
        #expect(data.examples == [LabeledText(text: "좋아요", positive: true), LabeledText(text: "별로", positive: false)])
    }

    @Test func detectsRatingsWhenRatingsOtherThanZeroAndOneArePresent() throws {
        let data = try DatasetReader.parse("5\t최고\n1\t최악\n3\t그냥 그래요\n2\t별로\n4\t좋아요\n")
        #expect(data.format == .rating)
        #expect(data.examples.map(\.positive) == [true, false, false, true])
        #expect(data.neutralSkipped == 1)
    }

    @Test func refusesToGuessBetweenBinaryAndRating() {
        #expect(throws: DatasetReader.ReadError.self) { try DatasetReader.parse("1\t좋아요\n0\t별로\n") }
        #expect(throws: DatasetReader.ReadError.self) { try DatasetReader.parse("그냥 텍스트\n또 텍스트\n") }
        #expect(throws: DatasetReader.ReadError.self) { try DatasetReader.parse("9\t이상한 값\n7\t또\n") }
    }

    /// A binary file with one stray value is not a rating file: read as ratings, every 1 (positive) would
    /// become a 1-star review (negative) and every 0 a malformed line.
    @Test func refusesToReadZeroLabelsAsRatings() {
        #expect(throws: DatasetReader.ReadError.self) {
            try DatasetReader.parse("0\t별로\n1\t좋아요\n2\t그저\n0\t최악\n1\t최고\n")
        }
    }

    /// An empty file is reported as empty, not as a file whose format cannot be told.
    @Test func saysAnEmptyFileIsEmpty() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ondo-empty-\(UUID()).tsv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        for content in ["", "\n", " \r\n\n"] {
            try Data(content.utf8).write(to: URL(fileURLWithPath: path))
            #expect(throws: DatasetReader.ReadError.empty(path: path)) { try DatasetReader.read(path: path) }
        }
    }

    /// A folder or a missing file is named as such; a folder was called "not a UTF-8 text file".
    @Test func saysWhyAFileCannotBeRead() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ondo-folder-\(UUID())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(throws: DatasetReader.ReadError.unreadable(path: folder, reason: "it is a folder")) {
            try DatasetReader.read(path: folder)
        }
        #expect(throws: DatasetReader.ReadError.unreadable(path: folder + "/none.tsv", reason: "no such file")) {
            try DatasetReader.read(path: folder + "/none.tsv")
        }
        try Data([0x35, 0x09, 0xFF, 0x0A]).write(to: URL(fileURLWithPath: folder + "/latin1.tsv"))
        #expect(
            throws: DatasetReader.ReadError.unreadable(
                path: folder + "/latin1.tsv", reason: "not a UTF-8 text file (line 1)")
        ) {
            try DatasetReader.read(path: folder + "/latin1.tsv")
        }
    }

    /// A file with lines but no usable review says what its lines were: malformed (with their numbers) or three-star.
    /// It said only "holds no usable labelled review", the malformed lines counted nowhere.
    @Test func aFileWithoutUsableReviewsSaysWhatItsLinesWere() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ondo-unusable-\(UUID()).tsv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data("2\t좋아요\n2\t별로\n".utf8).write(to: URL(fileURLWithPath: path))
        let malformed = #expect(throws: DatasetReader.ReadError.self) {
            try DatasetReader.read(path: path, format: .binary)
        }
        #expect(
            malformed?.description
                == "\(path) holds no usable labelled review: 0 reviews (0 positive) read as binary; 2 malformed lines "
                + "ignored (lines 1, 2)")
        try Data("3\t그저 그래요\n3\t보통\n".utf8).write(to: URL(fileURLWithPath: path))
        let neutral = #expect(throws: DatasetReader.ReadError.self) {
            try DatasetReader.read(path: path, format: .rating)
        }
        #expect(neutral?.description.hasSuffix("read as rating; 2 three-star reviews skipped") == true, "\(neutral!)")
    }

    /// Lines end at "\n" (with an optional "\r" before it), not at every Unicode line break: a review holding a form
    /// feed, NEL, U+2028 or a lone CR was cut there, its beginning used as the whole review and its end counted as a
    /// malformed line.
    @Test func onlyLineFeedsEndLines() throws {
        let content = "5\t좋아요\u{2028}최고\n1\t별로\u{0C}예요\r\n4\t좋\u{85}음\n2\t아\r니\n"
        let data = try DatasetReader.parse(content, format: .rating)
        #expect(data.malformedLines == 0, "\(data.summary)")
        #expect(data.examples.map(\.text) == ["좋아요\u{2028}최고", "별로\u{0C}예요", "좋\u{85}음", "아\r니"])
        let nsmc = try DatasetReader.parse("id\tdocument\tlabel\r\n1\t좋아요\u{2029}최고\t1\r\n")
        #expect(nsmc.format == .nsmc && nsmc.malformedLines == 0, "\(nsmc.summary)")
        #expect(nsmc.examples == [LabeledText(text: "좋아요\u{2029}최고", positive: true)])
    }

    /// `sentiment split` keeps such a review one line too: it was written out as two lines, the second malformed.
    @Test func splittingKeepsLinesWithLineBreakCharactersWhole() {
        let content = "5\t좋아요\u{2028}최고\r\n1\t별로\u{0C}예요\n4\t좋\u{85}음\n"
        let parts = DatasetSplit.splitLines(content, holdOut: 0.5, seed: 7)
        let lines = (parts.kept + parts.heldOut).split(separator: "\n").map(String.init).sorted()
        #expect(lines == ["1\t별로\u{0C}예요", "4\t좋\u{85}음", "5\t좋아요\u{2028}최고"].sorted())
    }

    /// One malformed line or one three-star review is said in the singular ("1 malformed lines ignored (lines 4)").
    @Test func theSummaryCountsInTheSingularToo() throws {
        let data = try DatasetReader.parse("5\t좋아요\n3\t그저\n1\t별로\nx\t깨짐\n", format: .rating)
        #expect(
            data.summary
                == "2 reviews (1 positive) read as rating; 1 three-star review skipped; 1 malformed line ignored (line 4)"
        )
    }

    /// A file with bytes that are not UTF-8 names the first line that holds them: a large file gave no clue where.
    @Test func aFileThatIsNotUTF8NamesTheLine() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ondo-latin1-\(UUID()).tsv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        var bytes = Data("5\t좋아요\r\n1\t별로\n\n".utf8)
        bytes.append(contentsOf: [0x34, 0x09, 0x63, 0x61, 0x66, 0xE9, 0x0A])
        try bytes.write(to: URL(fileURLWithPath: path))
        #expect(throws: DatasetReader.ReadError.unreadable(path: path, reason: "not a UTF-8 text file (line 4)")) {
            try DatasetReader.read(path: path)
        }
    }

    @Test func readsBinaryWhenTold() throws {
        let data = try DatasetReader.parse("1\t좋아요\n0\t별로\n", format: .binary)
        #expect(data.positiveCount == 1 && data.examples.count == 2)
    }

    @Test func countsMalformedLinesAndNeverUsesThem() throws {
        let content = "id\tdocument\tlabel\n1\t좋아요\t1\n2\t깨진 줄\n3\t라벨이 이상\t7\n\n4\t별로\t0\r\n5\t\t1\n"
        let data = try DatasetReader.parse(content)
        #expect(data.examples.count == 3, "the empty document is a valid, empty review")
        #expect(data.malformedLines == 2)
        #expect(data.malformedExamples == [3, 4])
        #expect(data.examples[1] == LabeledText(text: "별로", positive: false), "CRLF endings are accepted")
        #expect(data.summary.contains("2 malformed lines"))
    }

    @Test func ratingFormatRejectsOutOfRangeRatings() throws {
        let data = try DatasetReader.parse("5\t좋아요\n6\t범위 밖\nx\t숫자 아님\n1\t나빠요\n", format: .rating)
        #expect(data.examples.count == 2)
        #expect(data.malformedLines == 2)
    }

    @Test func seededSplitsAreReproducibleAndDisjoint() {
        let examples = (0..<100).map { LabeledText(text: "리뷰 \($0)", positive: $0 % 2 == 0) }
        let a = DatasetSplit.split(examples, holdOut: 0.2, seed: 7)
        let b = DatasetSplit.split(examples, holdOut: 0.2, seed: 7)
        let c = DatasetSplit.split(examples, holdOut: 0.2, seed: 8)
        #expect(a.kept == b.kept && a.heldOut == b.heldOut)
        #expect(a.heldOut != c.heldOut)
        #expect(a.heldOut.count == 20 && a.kept.count == 80)
        #expect(Set(a.kept).isDisjoint(with: Set(a.heldOut)))
    }
}
