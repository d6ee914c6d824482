import ArgumentParser
import Foundation
import Sentiment

/// `ondo sentiment eval`: accuracy, precision, recall, F1, confusion matrix and calibration error of
/// a model on a labelled file.
struct SentimentEvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval", abstract: "Evaluate a model on a labelled review file.")

    @Option(help: "Labelled data file.") var data: String
    @Option(help: "Format of the data file: nsmc, rating or binary (default: detected when unambiguous).")
    var inputFormat: InputFormat?
    @OptionGroup var model: ModelOption
    @Option(help: "Output: table or json.") var format = DetailFormat.table

    func run() async throws {
        try await reportingFailures("sentiment eval") { try await evaluate() }
    }

    private func evaluate() async throws {
        let model = try model.load()
        let dataset = try readDataset(data, format: inputFormat)
        let start = ContinuousClock.now
        let metrics = model.evaluate(dataset.examples)
        let seconds = start.duration(to: .now) / .seconds(1)
        let report = EvaluationReport(metrics: metrics, model: model.version, data: data, seconds: seconds)
        print(format == .json ? report.json : report.table)
    }
}
