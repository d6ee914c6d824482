import ArgumentParser
import Sentiment

/// Network shape and tokenizer options shared by `train` and `sweep` (all but the LSTM sizes, which
/// `sweep` varies); the defaults are the study's configuration (``ModelSettings``). They are optional so that
/// `train --base` can tell which were given: a fine-tuned model keeps its base's shape and tokenizer.
struct NetworkOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Embedding size (default: 100).") var embedding: Int?
    @Option(parsing: .unconditional, help: "Conv1D filters (default: 128).") var filters: Int?
    @Option(parsing: .unconditional, help: "Conv1D window width (default: 3).") var kernel: Int?
    @Option(parsing: .unconditional, help: "Max-pooling width (default: 2).") var pool: Int?
    @Option(help: "How the top LSTM's outputs feed the dense layer: last, max, mean, max-mean (default: last).")
    var pooling: OutputPooling?
    @Option(help: "Token unit: syllable or syllable+bigram (default: syllable).") var tokenUnit: TokenUnit?
    @Option(parsing: .unconditional, help: "Minimum count for a token to get its own id (default: 2).") var minCount:
        Int?
    @Option(
        parsing: .unconditional,
        help: "Minimum count for a syllable pair to get its own id (syllable+bigram; default: 5).")
    var bigramMinCount: Int?
    @Option(parsing: .unconditional, help: "Most syllable pairs with their own id (syllable+bigram; default: 20000).")
    var bigramLimit: Int?
    @Option(
        help:
            "Weight precision in the model file: f32 or f16 (half the size; default: f32; train --base keeps the base model's)."
    )
    var weightStorage: WeightStorage?

    func validate() throws {
        for (flag, value) in [("--min-count", minCount), ("--bigram-min-count", bigramMinCount)] {
            if let value, value < 1 { throw ValidationError("\(flag) must be at least 1") }
        }
        if let bigramLimit, bigramLimit < 0 { throw ValidationError("--bigram-limit must be 0 or more") }
        // The network's sizes are checked once, by the command, with the LSTM sizes it adds (ModelSettings.problem,
        // the trainer's own check); a fine-tuned model (`train --base`) keeps its base's shape and refuses them.
    }

    /// The settings given, the study's for the others; the commands check them with ``ModelSettings/problem``.
    var settings: ModelSettings {
        var s = ModelSettings()
        if let embedding { s.embeddingSize = embedding }
        if let filters { s.filters = filters }
        if let kernel { s.kernelSize = kernel }
        if let pool { s.poolSize = pool }
        if let pooling { s.outputPooling = pooling }
        if let tokenUnit { s.tokenUnit = tokenUnit }
        if let minCount { s.vocabularyMinimumCount = minCount }
        if let bigramMinCount { s.bigramMinimumCount = bigramMinCount }
        if let bigramLimit { s.bigramLimit = bigramLimit }
        if let weightStorage { s.weightStorage = weightStorage }
        return s
    }

    /// The shape and tokenizer options that were given (every option but --weight-storage), as flags.
    var givenShapeOptions: [String] {
        let given: [(String, Bool)] = [
            ("--embedding", embedding != nil), ("--filters", filters != nil), ("--kernel", kernel != nil),
            ("--pool", pool != nil), ("--pooling", pooling != nil), ("--token-unit", tokenUnit != nil),
            ("--min-count", minCount != nil), ("--bigram-min-count", bigramMinCount != nil),
            ("--bigram-limit", bigramLimit != nil),
        ]
        return given.filter(\.1).map(\.0)
    }
}

/// Optimiser and run options shared by `train` and `sweep`.
struct TrainingOptionGroup: ParsableArguments {
    @Option(
        parsing: .unconditional,
        help: "Most passes over the training data (default: 4; 2 when fine-tuning a --base model).") var epochs: Int?
    @Option(parsing: .unconditional, help: "Reviews per optimiser step.") var batchSize = 64
    @Option(
        parsing: .unconditional,
        help: "Adam's initial learning rate (default: 0.001; 0.0003 when fine-tuning a --base model).")
    var learningRate: Float?
    @Option(help: "Learning-rate schedule: constant, linear, cosine.") var schedule = LearningRateSchedule.linear
    @Option(parsing: .unconditional, help: "Final learning rate as a fraction of the initial one.")
    var finalLearningRate: Float = 0.1
    @Option(parsing: .unconditional, help: "Dropout on the LSTM output feeding the dense layer.") var dropout: Float = 0
    @Option(parsing: .unconditional, help: "Dropout on the token embeddings.") var embeddingDropout: Float = 0
    @Option(parsing: .unconditional, help: "Decoupled (AdamW) weight decay.") var weightDecay: Float = 0
    @Option(parsing: .unconditional, help: "Gradient-norm clipping threshold (0: off).") var clipNorm: Float = 5
    @Option(parsing: .unconditional, help: "Share of the training data held out for validation (seeded).")
    var validationFraction = 0.1
    @Option(parsing: .unconditional, help: "Stop after this many epochs without better validation accuracy (0: never).")
    var patience = 2
    @Option(parsing: .unconditional, help: "Seed of weights, split, shuffling and dropout.") var seed: UInt64 = 1
    @Option(
        parsing: .unconditional,
        help: "Seed of the validation split alone (default: --seed), to compare models of different seeds on it.")
    var validationSeed: UInt64?
    @Option(parsing: .unconditional, help: "Worker threads (data-parallel over the mini-batch).") var threads = 2
    @Option(
        parsing: .unconditional,
        help: "Decay of the moving average of the weights used for validation and the model (0: off).")
    var weightAveraging: Float = 0
    @Flag(help: "Skip fitting the calibration temperature.") var noCalibration = false

    /// The options; `fineTuning` picks the defaults for continuing a trained model (``TrainingOptions/fineTuning``).
    func options(fineTuning: Bool) -> TrainingOptions {
        var o = fineTuning ? TrainingOptions.fineTuning : TrainingOptions()
        if let epochs { o.epochs = epochs }
        o.batchSize = batchSize
        if let learningRate { o.learningRate = learningRate }
        o.schedule = schedule
        o.finalLearningRateFraction = finalLearningRate
        o.featureDropout = dropout
        o.embeddingDropout = embeddingDropout
        o.weightDecay = weightDecay
        o.clipNorm = clipNorm
        o.validationFraction = validationFraction
        o.patience = patience
        o.seed = seed
        o.validationSeed = validationSeed
        o.threads = threads
        o.weightAveraging = weightAveraging
        o.calibrate = !noCalibration
        return o
    }
}
