/// A review text with its polarity: the unit of training and evaluation data.
public struct LabeledText: Sendable, Equatable, Hashable {
    /// The review text as written.
    public var text: String
    /// True for a positive review.
    public var positive: Bool

    /// A labelled review.
    public init(text: String, positive: Bool) {
        self.text = text
        self.positive = positive
    }

    /// The label as the loss wants it: 1 for positive, 0 for negative.
    var target: Float { positive ? 1 : 0 }
}
