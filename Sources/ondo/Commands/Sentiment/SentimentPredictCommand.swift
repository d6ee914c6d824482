import ArgumentParser
import Foundation
import Sentiment

/// `ondo sentiment predict`: the probability that each review is positive.
struct SentimentPredictCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Score reviews: the probability that each is positive.",
        discussion: "Reviews come from the arguments, or one per line on stdin when there are none.")

    @Argument(help: "Review texts (default: one per line on stdin).") var texts: [String] = []
    @OptionGroup var model: ModelOption
    @Option(help: "Output: table, json or tsv.") var format = PredictionFormat.table

    func run() async throws {
        let model = try model.load()
        var inputs = texts
        if inputs.isEmpty {
            while let line = readLine() { inputs.append(line) }
        }
        let predictions = Prediction.score(inputs, with: model)
        switch format {
        case .table: print(Prediction.table(predictions))
        case .tsv: print(Prediction.tsv(predictions), terminator: "")
        case .json: print(Prediction.json(predictions, model: model.version))
        }
    }
}
