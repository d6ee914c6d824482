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

    func validate() throws {
        // `--model "$UNSET"` would otherwise name the working folder.
        if model?.isEmpty == true { throw ValidationError("--model is empty: name a model file") }
    }

    /// Locates and loads the model.
    func load() throws -> SentimentModel {
        try loadModel(at: ModelLocator.locate(explicit: model))
    }
}

/// Loads the model file at `url`, naming the file when it is not a usable model: it may have come from
/// `$ONDO_SENTIMENT_MODEL` or the search rather than the command line.
func loadModel(at url: URL) throws -> SentimentModel {
    do {
        return try SentimentModel.load(contentsOf: url)
    } catch {
        switch error {
        case .fileNotFound, .io: throw error  // These already name the file.
        default: throw CommandError("\(url.path): \(error)")
        }
    }
}
