import ArgumentParser
import Foundation
import Sentiment

/// `ondo sentiment predict`: the probability that each review is positive.
struct SentimentPredictCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Score reviews: the probability that each is positive.",
        discussion: """
            Reviews come from the arguments, or one per line on stdin (UTF-8) when there are none; lines are scored \
            and printed as they arrive. Blank reviews are not scored: they are skipped and counted on stderr. \
            Nothing to score is an error.
            """)

    @Argument(help: "Review texts (default: one per line on stdin).") var texts: [String] = []
    @OptionGroup var model: ModelOption
    @Option(help: "Output: table, json or tsv.") var format = PredictionFormat.table

    /// Bytes read from stdin at a time: a piece's complete lines are scored together before the next read.
    static let readSize = 1 << 16

    func run() async throws {
        try await reportingFailures("sentiment predict") { try await scoreReviews() }
    }

    private func scoreReviews() async throws {
        let model = try model.load()
        var writer = PredictionWriter(format: format, model: model.version)
        var blank = BlankReviews()
        if !texts.isEmpty {
            score(texts, firstNumber: 1, with: model, writer: &writer, blank: &blank)
        } else {
            var splitter = ReviewLineSplitter()
            var buffer = [UInt8](repeating: 0, count: Self.readSize)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                let firstNumber = splitter.linesRead + 1
                let lines: [String]
                do {
                    guard count >= 0 else { throw CommandError(String(cString: strerror(errno))) }
                    lines = count == 0 ? try splitter.finish() : try splitter.lines(in: buffer[..<count])
                } catch {
                    writer.finish()
                    throw CommandError("cannot read the reviews on standard input: \(error)")
                }
                score(lines, firstNumber: firstNumber, with: model, writer: &writer, blank: &blank)
                if count == 0 { break }
            }
        }
        writer.finish()
        if let report = blank.report(fromArguments: !texts.isEmpty) { StandardError.write(report) }
        guard writer.written > 0 else {
            throw CommandError(
                "no review to score: give review texts as arguments, or one per line on standard input")
        }
    }

    /// Scores and prints the reviews among `texts` (numbered from `firstNumber`), noting the blank ones.
    private func score(
        _ texts: [String], firstNumber: Int, with model: SentimentModel, writer: inout PredictionWriter,
        blank: inout BlankReviews
    ) {
        var reviews: [String] = []
        reviews.reserveCapacity(texts.count)
        for (offset, text) in texts.enumerated() {
            if ReviewLines.isBlank(text) { blank.note(firstNumber + offset) } else { reviews.append(text) }
        }
        writer.write(Prediction.score(reviews, with: model))
    }
}

/// The blank reviews `ondo sentiment predict` skipped: blank text carries no sentiment, and a score for it would be
/// the network's bias, labelled as if meant.
struct BlankReviews {
    /// How many.
    private(set) var count = 0
    /// The first few line or argument numbers, for the report.
    private var shown: [Int] = []

    mutating func note(_ number: Int) {
        count += 1
        if shown.count < 5 { shown.append(number) }
    }

    /// The sentence for stderr, nil when none was skipped.
    func report(fromArguments: Bool) -> String? {
        guard count > 0 else { return nil }
        let what = (fromArguments ? "argument" : "line") + (count == 1 ? "" : "s")
        let numbers = shown.map(String.init).joined(separator: ", ") + (count > shown.count ? ", …" : "")
        return "skipped \(NumberText.grouped(count)) blank \(what) (\(numbers)): no text to score"
    }
}
