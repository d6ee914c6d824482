import ArgumentParser
import OndoServer

/// `--model` of the commands that score reviews as `ondo serve` does (`serve`, `demo`, `reviews rescore`): the model
/// file that overrides the configuration's.
struct ServerModelOption: ParsableArguments {
    @Option(
        name: .long,
        help: """
            Sentiment model file (default: $ONDO_SENTIMENT_MODEL, else the configuration's server.modelPath, else \
            the shipped model).
            """)
    var model: String?

    /// `configuration` with this option's model, when one was given (named `--model` in errors about the file).
    func apply(to configuration: inout OndoConfiguration) {
        if let model { configuration.server.useModel(model, namedBy: "--model") }
    }
}
