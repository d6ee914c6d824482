import Foundation

/// How a model is trained: optimiser, schedule, regularisation, validation and parallelism.
/// Everything here is recorded in the model file.
public struct TrainingOptions: Codable, Sendable, Equatable {
    /// Passes over the training data at most.
    public var epochs: Int = 4
    /// Reviews per optimiser step.
    public var batchSize: Int = 64
    /// Adam's step size at the start (after warm-up).
    public var learningRate: Float = 1e-3
    /// How the learning rate falls over the run.
    public var schedule: LearningRateSchedule = .linear
    /// Learning rate at the end of the run, as a fraction of ``learningRate`` (for ``LearningRateSchedule/linear``
    /// and ``LearningRateSchedule/cosine``).
    public var finalLearningRateFraction: Float = 0.1
    /// Gradients whose global norm exceeds this are scaled down to it (0 disables clipping).
    public var clipNorm: Float = 5
    /// Decoupled weight decay (AdamW), per step, relative to the learning rate.
    public var weightDecay: Float = 0
    /// Dropout rate on the embedded tokens.
    public var embeddingDropout: Float = 0
    /// Dropout rate on the pooled LSTM output that feeds the dense layer.
    public var featureDropout: Float = 0
    /// Share of the training data held out (seeded) to choose the best epoch and fit the calibration.
    public var validationFraction: Double = 0.1
    /// Stop after this many epochs without a better validation loss (0: never stop early).
    public var patience: Int = 2
    /// Seed of the initial weights, the validation split, the shuffling and the dropout masks.
    public var seed: UInt64 = 1
    /// Seed of the validation split alone, when it must not follow ``seed``: models trained from different seeds
    /// can then be compared (or combined) on the same held-out reviews. Nil: ``seed``.
    public var validationSeed: UInt64?
    /// Worker threads; the mini-batch is split between them and their gradients are summed in a
    /// fixed order, so the same seed and thread count give the same model.
    public var threads: Int = 2
    /// Decay per step of an exponential moving average of the weights (e.g. 0.999; 0 turns it off).
    /// When on, validation, the kept checkpoint and the final model use the averaged weights, which
    /// are usually a little better than the last step's.
    public var weightAveraging: Float = 0
    /// Fit a temperature on the validation split so that probabilities are calibrated.
    public var calibrate: Bool = true
    /// Share of each training review's target taken from its teachers' mean probability, the rest from its label
    /// (``TrainingInput/teachers``; without teachers it has no effect).
    public var teacherWeight: Float = 0

    /// The defaults.
    public init() {}

    /// The defaults for fine-tuning a trained model: 2 epochs at a learning rate of 0.0003, so that new reviews
    /// adapt the weights without overwriting what the base model learned.
    public static var fineTuning: TrainingOptions {
        var options = TrainingOptions()
        options.epochs = 2
        options.learningRate = 3e-4
        return options
    }

    /// Reads options recorded by any version: a field a model file does not have takes its default.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = TrainingOptions()
        epochs = try c.decodeIfPresent(Int.self, forKey: .epochs) ?? d.epochs
        batchSize = try c.decodeIfPresent(Int.self, forKey: .batchSize) ?? d.batchSize
        learningRate = try c.decodeIfPresent(Float.self, forKey: .learningRate) ?? d.learningRate
        schedule = try c.decodeIfPresent(LearningRateSchedule.self, forKey: .schedule) ?? d.schedule
        finalLearningRateFraction =
            try c.decodeIfPresent(Float.self, forKey: .finalLearningRateFraction) ?? d.finalLearningRateFraction
        clipNorm = try c.decodeIfPresent(Float.self, forKey: .clipNorm) ?? d.clipNorm
        weightDecay = try c.decodeIfPresent(Float.self, forKey: .weightDecay) ?? d.weightDecay
        embeddingDropout = try c.decodeIfPresent(Float.self, forKey: .embeddingDropout) ?? d.embeddingDropout
        featureDropout = try c.decodeIfPresent(Float.self, forKey: .featureDropout) ?? d.featureDropout
        validationFraction = try c.decodeIfPresent(Double.self, forKey: .validationFraction) ?? d.validationFraction
        patience = try c.decodeIfPresent(Int.self, forKey: .patience) ?? d.patience
        seed = try c.decodeIfPresent(UInt64.self, forKey: .seed) ?? d.seed
        validationSeed = try c.decodeIfPresent(UInt64.self, forKey: .validationSeed)
        threads = try c.decodeIfPresent(Int.self, forKey: .threads) ?? d.threads
        weightAveraging = try c.decodeIfPresent(Float.self, forKey: .weightAveraging) ?? d.weightAveraging
        calibrate = try c.decodeIfPresent(Bool.self, forKey: .calibrate) ?? d.calibrate
        teacherWeight = try c.decodeIfPresent(Float.self, forKey: .teacherWeight) ?? d.teacherWeight
    }

    /// The seed of the validation split: ``validationSeed``, else ``seed``.
    var splitSeed: UInt64 { validationSeed ?? seed }

    /// Settings that cannot train, as a sentence; nil when the options are usable.
    public var problem: String? {
        if epochs < 1 { return "epochs must be at least 1" }
        if batchSize < 1 { return "the batch size must be at least 1" }
        if !(learningRate > 0) { return "the learning rate must be positive" }
        if !(finalLearningRateFraction >= 0) { return "the final learning rate must not be negative" }
        if !(weightDecay >= 0) { return "the weight decay must not be negative" }
        if !(clipNorm >= 0) { return "the clipping threshold must not be negative (0 turns clipping off)" }
        if patience < 0 { return "the patience must not be negative (0: never stop early)" }
        if !(0..<1).contains(embeddingDropout) || !(0..<1).contains(featureDropout) {
            return "dropout rates must be in [0, 1)"
        }
        if !(0..<1).contains(validationFraction) { return "the validation fraction must be in [0, 1)" }
        if threads < 1 { return "threads must be at least 1" }
        if !(0..<1).contains(weightAveraging) { return "the weight-averaging decay must be in [0, 1)" }
        if !(0...1).contains(teacherWeight) { return "the teacher weight must be in [0, 1]" }
        return nil
    }
}

/// The shape of the learning rate over a training run.
public enum LearningRateSchedule: String, Codable, Sendable, CaseIterable {
    /// The same rate throughout.
    case constant
    /// Falls linearly from the start rate to the final fraction.
    case linear
    /// Falls along a half cosine from the start rate to the final fraction.
    case cosine

    /// The rate multiplier at `progress` ∈ [0, 1] of the run.
    func factor(progress: Double, final: Float) -> Float {
        let p = Float(min(max(progress, 0), 1))
        switch self {
        case .constant: return 1
        case .linear: return 1 - (1 - final) * p
        case .cosine: return final + (1 - final) * 0.5 * (1 + cosf(Float.pi * p))
        }
    }
}
