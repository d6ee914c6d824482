import ArgumentParser
import Foundation
import Sentiment

/// The `--model` option shared by the commands that use a trained model.
struct ModelOption: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Model file. Default: $\(ModelLocator.environmentVariable), else models/\(SentimentModel.defaultFileName) "
                + "above the executable or the current folder, else \(ModelLocator.systemDirectory).",
            valueName: "MODEL"))
    var model: String?

    /// Locates and loads the model.
    func load() throws -> SentimentModel {
        let url = try ModelLocator.locate(explicit: model)
        return try SentimentModel.load(contentsOf: url)
    }
}
