extension SentimentModel {
    /// Scores labelled reviews and measures the result.
    public func evaluate(_ examples: [LabeledText]) -> BinaryMetrics {
        BinaryMetrics(probabilities: predict(examples.map(\.text)), positive: examples.map(\.positive))
    }
}
