/// What to build before training: the network's shape and the tokenizer's unit and vocabulary
/// thresholds. The vocabulary size is not chosen; it follows from the training data.
public struct ModelSettings: Codable, Sendable, Equatable {
    /// Embedding size.
    public var embeddingSize = 100
    /// Conv1D filters.
    public var filters = 128
    /// Conv1D window width.
    public var kernelSize = 3
    /// Max-pooling width.
    public var poolSize = 2
    /// Units per LSTM layer.
    public var lstmUnits = 50
    /// Stacked LSTM layers.
    public var lstmLayers = 3
    /// Reduction of the top LSTM layer's outputs over time.
    public var outputPooling = OutputPooling.last
    /// Token unit.
    public var tokenUnit = TokenUnit.syllable
    /// A token must occur this often in the training data to get its own id.
    public var vocabularyMinimumCount = 2
    /// A syllable pair must occur this often to get its own id (``TokenUnit/syllableBigram``).
    public var bigramMinimumCount = 5
    /// At most this many syllable pairs get ids (``TokenUnit/syllableBigram``).
    public var bigramLimit = 20_000
    /// Precision of the weights in the model file (the model is rounded to it before it is measured).
    public var weightStorage = WeightStorage.float32

    /// The study's configuration: syllable tokens, embedding 100, Conv1D 128 × 3, pooling 2,
    /// 3 LSTM layers of 50 units, the last hidden state feeding the dense layer.
    public init() {}

    /// The network's sizes that cannot build a network, as a sentence; nil when they can. The one check of the
    /// shape options: the trainer makes it before it reads any data, and the command line before it runs. (The
    /// vocabulary's size follows from the data and is checked once it is known.)
    public var problem: String? {
        // The vocabulary's size plays no part in the shape's problem.
        network(vocabularySize: 1).shapeProblem
    }

    /// The network configuration for a vocabulary of `vocabularySize` ids.
    public func network(vocabularySize: Int) -> NetworkConfig {
        NetworkConfig(
            vocabularySize: vocabularySize, embeddingSize: embeddingSize, filters: filters, kernelSize: kernelSize,
            poolSize: poolSize, lstmUnits: lstmUnits, lstmLayers: lstmLayers, outputPooling: outputPooling)
    }

    /// Builds the tokenizer from training texts.
    func tokenizer(texts: [String]) -> Tokenizer {
        Tokenizer.train(
            unit: tokenUnit, texts: texts, minimumCount: vocabularyMinimumCount, bigramMinimumCount: bigramMinimumCount,
            bigramLimit: bigramLimit)
    }
}
