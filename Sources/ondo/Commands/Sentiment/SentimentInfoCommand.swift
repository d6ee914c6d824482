import ArgumentParser
import Sentiment

/// `ondo sentiment info`: what a model file holds and how it was trained.
struct SentimentInfoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info", abstract: "Show a model's hyper-parameters, tokenizer, training data and accuracies.")

    @OptionGroup var model: ModelOption
    @Option(help: "Output: table or json.") var format = DetailFormat.table

    func run() async throws {
        try await reportingFailures("sentiment info") { try await showInfo() }
    }

    private func showInfo() async throws {
        let info = ModelInfo(try model.load())
        print(format == .json ? info.json : info.text)
    }
}
