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
        try loadModel(
            at: ModelLocator.locate(explicit: model), namedBy: ModelLocator.setting(explicit: model, option: "--model"))
    }
}

/// Loads the model file at `url`, naming the file, and `setting` when one chose it, when it is not a usable model:
/// it may have come from `$ONDO_SENTIMENT_MODEL` or the search rather than the command line.
func loadModel(at url: URL, namedBy setting: String?) throws -> SentimentModel {
    do {
        return try SentimentModel.load(contentsOf: url)
    } catch {
        let named = setting.map { " (named by \($0))" } ?? ""
        switch error {
        case .fileNotFound(let path): throw CommandError("no model file at \(path)\(named)")
        case .io(let path, let reason): throw CommandError("cannot access the model file \(path)\(named): \(reason)")
        default: throw CommandError("\(url.path)\(named): \(error)")
        }
    }
}
