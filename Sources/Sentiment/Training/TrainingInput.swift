/// The reviews a training run learns from.
public struct TrainingInput: Sendable {
    /// The main training data; the validation split is carved from it.
    public var examples: [LabeledText]
    /// In-domain reviews added to every epoch's training data `adaptationRepeats` times (never
    /// used for validation), to adapt a model trained on another domain.
    public var adaptation: [LabeledText]
    /// Copies of each adaptation review per epoch.
    public var adaptationRepeats: Int
    /// The files the reviews came from, for the training record.
    public var sources: [TrainingRecord.Source]
    /// Trained models whose mean probability for each training review is blended into its target, with the
    /// weight ``TrainingOptions/teacherWeight`` (knowledge distillation). The validation split keeps its labels.
    public var teachers: [SentimentModel]

    /// Training input.
    public init(
        examples: [LabeledText], adaptation: [LabeledText] = [], adaptationRepeats: Int = 1,
        sources: [TrainingRecord.Source] = [], teachers: [SentimentModel] = []
    ) {
        self.examples = examples
        self.adaptation = adaptation
        self.adaptationRepeats = adaptationRepeats
        self.sources = sources
        self.teachers = teachers
    }
}
