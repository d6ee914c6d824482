/// The least labelled data worth training on, for data that is not chosen by hand (a shop's own rated
/// reviews): enough reviews in all, and enough of each polarity for a held-out part to measure anything.
public struct TrainingDataRequirement: Sendable, Equatable {
    /// Reviews needed in all.
    public var minimumReviews = 200
    /// Reviews needed of each polarity.
    public var minimumPerPolarity = 20

    /// The defaults: 200 reviews, 20 of each polarity.
    public init() {}

    /// Why `examples` are too few, as a sentence; nil when they are enough.
    public func shortfall(_ examples: [LabeledText]) -> String? {
        let positive = examples.reduce(0) { $0 + ($1.positive ? 1 : 0) }
        let negative = examples.count - positive
        guard examples.count < minimumReviews || min(positive, negative) < minimumPerPolarity else { return nil }
        return "found \(examples.count) usable rated reviews (\(positive) positive, \(negative) negative), too few to "
            + "train on: at least \(minimumReviews) are needed, with at least \(minimumPerPolarity) positive and "
            + "\(minimumPerPolarity) negative"
    }
}
