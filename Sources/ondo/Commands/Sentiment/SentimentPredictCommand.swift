import ArgumentParser
import Foundation
import Sentiment

/// `ondo sentiment predict`: the probability that each review is positive.
struct SentimentPredictCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Score reviews: the probability that each is positive.",
        discussion: """
            Reviews come from the arguments, or one per line on stdin (UTF-8) when there are none. Blank reviews \
            are not scored: they are skipped and counted on stderr. Nothing to score is an error.
            """)

    @Argument(help: "Review texts (default: one per line on stdin).") var texts: [String] = []
    @OptionGroup var model: ModelOption
    @Option(help: "Output: table, json or tsv.") var format = PredictionFormat.table

    func run() async throws {
        try await reportingFailures("sentiment predict") { try await scoreReviews() }
    }

    private func scoreReviews() async throws {
        let model = try model.load()
        let fromArguments = !texts.isEmpty
        let inputs: [String]
        do {
            inputs = fromArguments ? texts : try ReviewLines.parse(FileHandle.standardInput.readDataToEndOfFile())
        } catch {
            throw CommandError("cannot read the reviews on standard input: \(error)")
        }
        let blank = ReviewLines.blank(inputs)
        if !blank.isEmpty {
            // Blank text carries no sentiment; a score for it would be the network's bias, labelled as if meant.
            let what = (fromArguments ? "argument" : "line") + (blank.count == 1 ? "" : "s")
            let shown = blank.prefix(5).map(String.init).joined(separator: ", ") + (blank.count > 5 ? ", …" : "")
            StandardError.write("skipped \(blank.count) blank \(what) (\(shown)): no text to score")
        }
        let reviews = inputs.filter { !$0.allSatisfy(\.isWhitespace) }
        guard !reviews.isEmpty else {
            throw CommandError(
                "no review to score: give review texts as arguments, or one per line on standard input")
        }
        let predictions = Prediction.score(reviews, with: model)
        switch format {
        case .table: print(Prediction.table(predictions))
        case .tsv: print(Prediction.tsv(predictions), terminator: "")
        case .json: print(Prediction.json(predictions, model: model.version))
        }
    }
}
