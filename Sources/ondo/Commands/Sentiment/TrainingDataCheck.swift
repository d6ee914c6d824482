import Sentiment

/// Checks of hand-chosen training files that `train` and `sweep` share.
enum TrainingDataCheck {
    /// Refuses training data of one polarity only (all labels 1, or a file read with the wrong format): a model
    /// learns nothing from it, yet one was written, with a validation accuracy of 100 %. Files are chosen by hand, so
    /// no other minimum applies (``TrainingDataRequirement`` is for a shop's own reviews).
    static func refuseOnePolarity(_ examples: [LabeledText]) throws {
        let positive = examples.reduce(0) { $0 + ($1.positive ? 1 : 0) }
        let negative = examples.count - positive
        guard positive == 0 || negative == 0 else { return }
        throw CommandError(
            "the training data holds \(positive) positive and \(negative) negative reviews: a model cannot learn to "
                + "tell the two apart from one of them (check the labels, or --input-format)")
    }
}
