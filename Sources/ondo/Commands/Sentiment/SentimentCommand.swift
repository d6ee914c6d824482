import ArgumentParser

/// `ondo sentiment …`: train, evaluate and run the review sentiment model.
struct SentimentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sentiment",
        abstract: "Train, evaluate and run the CNN + LSTM review sentiment model.",
        subcommands: [
            SentimentTrainCommand.self,
            SentimentEvalCommand.self,
            SentimentPredictCommand.self,
            SentimentInfoCommand.self,
            SentimentSweepCommand.self,
            SentimentSplitCommand.self,
        ]
    )
}
