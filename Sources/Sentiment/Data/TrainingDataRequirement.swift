/// The least labelled data worth training on: enough reviews in all, enough of each polarity, and a validation split
/// large enough to choose the best epoch and fit the calibration temperature. `ondo sentiment train` checks it before
/// training, on its --data files and on the shop's rated reviews (--from-database) alike; the trainer itself does
/// not, so that a test can train on a handful of reviews.
public struct TrainingDataRequirement: Sendable, Equatable {
    /// Reviews needed in all.
    public var minimumReviews = 200
    /// Reviews needed of each polarity.
    public var minimumPerPolarity = 20
    /// Reviews the validation split needs, when there is one. On fewer, one or two reviews decide which epoch is kept
    /// (accuracy moves in steps of 5 points at 20) and the temperature (the 10 validation reviews of a model trained
    /// on 100 fitted T = 0.19 on the strength of one review far out). 200 reviews at the default share, 0.1, give 20.
    public var minimumValidationReviews = 20

    /// The defaults: 200 reviews, 20 of each polarity, 20 in the validation split.
    public init() {}

    /// Why `examples` are too few, as a sentence; nil when they are enough. `noun` says what they are.
    public func shortfall(_ examples: [LabeledText], noun: String = "rated reviews") -> String? {
        let (positive, negative) = Self.polarities(examples)
        guard examples.count < minimumReviews || min(positive, negative) < minimumPerPolarity else { return nil }
        return "found \(examples.count) usable \(noun) (\(positive) positive, \(negative) negative), too few to "
            + "train on: at least \(minimumReviews) are needed, with at least \(minimumPerPolarity) positive and "
            + "\(minimumPerPolarity) negative"
    }

    /// Why the validation split that a `fraction` of `count` reviews makes (as the trainer carves it) is too small, as
    /// a sentence; nil when it is large enough, or when there is none (a fraction of 0: the last epoch is kept and no
    /// temperature fitted).
    public func validationShortfall(of count: Int, validationFraction fraction: Double) -> String? {
        guard fraction > 0 else { return nil }
        let validation = DatasetSplit.heldOutCount(of: count, holdOut: fraction)
        guard validation < minimumValidationReviews else { return nil }
        return "the validation split (--validation-fraction \(fraction)) of \(count) reviews holds \(validation), too "
            + "few to choose the best epoch and fit the calibration temperature: it needs at least "
            + "\(minimumValidationReviews), which takes \(reviewsForValidation(fraction)) reviews at this share"
    }

    /// Everything that keeps `examples`, the reviews a validation split is carved from, from training, as one
    /// sentence: ``shortfall(_:noun:)`` and ``validationShortfall(of:validationFraction:)``. Nil when neither applies.
    public func problem(_ examples: [LabeledText], validationFraction: Double, noun: String) -> String? {
        let problems = [
            shortfall(examples, noun: noun),
            validationShortfall(of: examples.count, validationFraction: validationFraction),
        ].compactMap { $0 }
        return problems.isEmpty ? nil : problems.joined(separator: "; ")
    }

    /// The fewest reviews whose validation split at `fraction` (> 0) holds ``minimumValidationReviews``.
    private func reviewsForValidation(_ fraction: Double) -> Int {
        var count = max(0, Int(((Double(minimumValidationReviews) - 0.5) / fraction).rounded(.down)))
        while DatasetSplit.heldOutCount(of: count, holdOut: fraction) < minimumValidationReviews { count += 1 }
        return count
    }

    /// Why training data cannot train a model at all: reviews of one polarity only (all labels 1, or a file read with
    /// the wrong format) teach it nothing, yet one was written, with a validation accuracy of 100 %. Nil when both
    /// polarities are present. `train` checks it before the minimum (its sentence says more); `sweep`, which has no
    /// minimum, checks only this.
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
