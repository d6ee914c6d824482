import ArgumentParser
import Sentiment

/// Network shape and tokenizer options shared by `train` and `sweep` (all but the LSTM sizes, which
/// `sweep` varies); the defaults are the study's configuration.
struct NetworkOptions: ParsableArguments {
    @Option(help: "Embedding size.") var embedding = 100
    @Option(help: "Conv1D filters.") var filters = 128
    @Option(help: "Conv1D window width.") var kernel = 3
    @Option(help: "Max-pooling width.") var pool = 2
    @Option(help: "How the top LSTM's outputs feed the dense layer: last, max, mean, max-mean.") var pooling = OutputPooling.last
    @Option(help: "Token unit: syllable or syllable+bigram.") var tokenUnit = TokenUnit.syllable
    @Option(help: "Minimum count for a token to get its own id.") var minCount = 2
    @Option(help: "Minimum count for a syllable pair to get its own id (syllable+bigram).") var bigramMinCount = 5
    @Option(help: "Most syllable pairs with their own id (syllable+bigram).") var bigramLimit = 20_000
    @Option(help: "Weight precision in the model file: f32 or f16 (half the size).") var weightStorage = WeightStorage.float32

    var settings: ModelSettings {
        var s = ModelSettings()
        s.embeddingSize = embedding
        s.filters = filters
        s.kernelSize = kernel
        s.poolSize = pool
        s.outputPooling = pooling
        s.tokenUnit = tokenUnit
        s.vocabularyMinimumCount = minCount
        s.bigramMinimumCount = bigramMinCount
        s.bigramLimit = bigramLimit
        s.weightStorage = weightStorage
        return s
    }
}

/// Optimiser and run options shared by `train` and `sweep`.
struct TrainingOptionGroup: ParsableArguments {
    @Option(help: "Most passes over the training data.") var epochs = 4
    @Option(help: "Reviews per optimiser step.") var batchSize = 64
    @Option(help: "Adam's initial learning rate.") var learningRate: Float = 1e-3
    @Option(help: "Learning-rate schedule: constant, linear, cosine.") var schedule = LearningRateSchedule.linear
    @Option(help: "Final learning rate as a fraction of the initial one.") var finalLearningRate: Float = 0.1
    @Option(help: "Dropout on the LSTM output feeding the dense layer.") var dropout: Float = 0
    @Option(help: "Dropout on the token embeddings.") var embeddingDropout: Float = 0
    @Option(help: "Decoupled (AdamW) weight decay.") var weightDecay: Float = 0
    @Option(help: "Gradient-norm clipping threshold (0: off).") var clipNorm: Float = 5
    @Option(help: "Share of the training data held out for validation (seeded).") var validationFraction = 0.1
    @Option(help: "Stop after this many epochs without better validation accuracy (0: never).") var patience = 2
    @Option(help: "Seed of weights, split, shuffling and dropout.") var seed: UInt64 = 1
    @Option(help: "Worker threads (data-parallel over the mini-batch).") var threads = 2
    @Option(help: "Decay of the moving average of the weights used for validation and the model (0: off).")
    var weightAveraging: Float = 0
    @Flag(help: "Skip fitting the calibration temperature.") var noCalibration = false

    var options: TrainingOptions {
        var o = TrainingOptions()
        o.epochs = epochs
        o.batchSize = batchSize
        o.learningRate = learningRate
        o.schedule = schedule
        o.finalLearningRateFraction = finalLearningRate
        o.featureDropout = dropout
        o.embeddingDropout = embeddingDropout
        o.weightDecay = weightDecay
        o.clipNorm = clipNorm
        o.validationFraction = validationFraction
        o.patience = patience
        o.seed = seed
        o.threads = threads
        o.weightAveraging = weightAveraging
        o.calibrate = !noCalibration
        return o
    }
}
