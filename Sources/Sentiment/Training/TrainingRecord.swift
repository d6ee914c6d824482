import Foundation

/// What went into a trained model and how it did, stored in the model file (shown by `info`).
public struct TrainingRecord: Codable, Sendable, Equatable {
    /// One data file used for training.
    public struct Source: Codable, Sendable, Equatable {
        /// The file's path as given.
        public var path: String
        /// The format it was read as.
        public var format: InputFormat
        /// Reviews used from it.
        public var examples: Int
        /// Times each of its reviews is seen per epoch (more than 1 for oversampled adaptation data).
        public var repeats: Int

        /// A source record.
        public init(path: String, format: InputFormat, examples: Int, repeats: Int) {
            self.path = path
            self.format = format
            self.examples = examples
            self.repeats = repeats
        }
    }

    /// The data files.
    public var sources: [Source]
    /// Reviews trained on per epoch (after the validation split and oversampling).
    public var trainingExamples: Int
    /// Reviews in the validation split.
    public var validationExamples: Int
    /// The training options.
    public var options: TrainingOptions
    /// Minimum count for a token to enter the vocabulary (and for bigrams, theirs and the limit).
    public var vocabularyMinimumCount: Int
    /// When training started.
    public var startedAt: Date
    /// Wall-clock seconds of the whole run (vocabulary, epochs, calibration).
    public var wallSeconds: Double
    /// Per-epoch figures.
    public var epochs: [EpochRecord]
    /// The epoch whose weights were kept (1-based), the one with the lowest validation loss.
    public var bestEpoch: Int
    /// Validation metrics of the kept weights, after calibration.
    public var validation: BinaryMetrics?
    /// The command line that trained the model, when known.
    public var command: String?
    /// The version of the model whose weights were fine-tuned (nil: trained from freshly initialised weights).
    public var base: String?
    /// The versions of the models whose probabilities were blended into the training targets (knowledge
    /// distillation, ``TrainingOptions/teacherWeight``); nil or empty: the labels alone.
    public var teachers: [String]?

    /// A record.
    public init(
        sources: [Source], trainingExamples: Int, validationExamples: Int, options: TrainingOptions,
        vocabularyMinimumCount: Int, startedAt: Date, wallSeconds: Double, epochs: [EpochRecord], bestEpoch: Int,
        validation: BinaryMetrics?, command: String?, base: String? = nil, teachers: [String]? = nil
    ) {
        self.sources = sources
        self.trainingExamples = trainingExamples
        self.validationExamples = validationExamples
        self.options = options
        self.vocabularyMinimumCount = vocabularyMinimumCount
        self.startedAt = startedAt
        self.wallSeconds = wallSeconds
        self.epochs = epochs
        self.bestEpoch = bestEpoch
        self.validation = validation
        self.command = command
        self.base = base
        self.teachers = teachers
    }
}

/// The figures of one training epoch.
public struct EpochRecord: Codable, Sendable, Equatable {
    /// 1-based epoch number.
    public var epoch: Int
    /// Mean training loss over the epoch (with dropout).
    public var trainingLoss: Double
    /// Training accuracy over the epoch (with dropout, weights changing as it goes).
    public var trainingAccuracy: Double
    /// Validation loss after the epoch.
    public var validationLoss: Double
    /// Validation accuracy after the epoch.
    public var validationAccuracy: Double
    /// Wall-clock seconds of the epoch's training steps.
    public var seconds: Double
    /// Training throughput, reviews per second.
    public var reviewsPerSecond: Double
}
