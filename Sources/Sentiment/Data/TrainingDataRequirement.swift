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
        let (positive, negative) = Self.polarities(examples)
        guard examples.count < minimumReviews || min(positive, negative) < minimumPerPolarity else { return nil }
        return "found \(examples.count) usable rated reviews (\(positive) positive, \(negative) negative), too few to "
            + "train on: at least \(minimumReviews) are needed, with at least \(minimumPerPolarity) positive and "
            + "\(minimumPerPolarity) negative"
    }

    /// Why hand-chosen training data (files, where no minimum applies) cannot train a model: reviews of one polarity
    /// only (all labels 1, or a file read with the wrong format) teach it nothing, yet one was written, with a
    /// validation accuracy of 100 %. Nil when both polarities are present.
    public static func onePolarityProblem(_ examples: [LabeledText]) -> String? {
        let (positive, negative) = polarities(examples)
        guard positive == 0 || negative == 0 else { return nil }
        return "the training data holds \(positive) positive and \(negative) negative reviews: a model cannot learn to "
            + "tell the two apart from one of them (check the labels, or --input-format)"
    }

    private static func polarities(_ examples: [LabeledText]) -> (positive: Int, negative: Int) {
        let positive = examples.reduce(0) { $0 + ($1.positive ? 1 : 0) }
        return (positive, examples.count - positive)
    }
}
