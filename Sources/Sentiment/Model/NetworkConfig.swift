/// The shape of the network: embedding → Conv1D (+ReLU) → max-pooling → stacked LSTM → dense → sigmoid.
///
/// The defaults are the study's configuration (embedding 100, Conv1D 128 filters × 3, pooling 2,
/// 3 LSTM layers of 50 units, the last hidden state feeding the dense layer).
public struct NetworkConfig: Codable, Sendable, Equatable, Hashable {
    /// Rows of the embedding table (the tokenizer's vocabulary size).
    public var vocabularySize: Int
    /// Width of a token embedding.
    public var embeddingSize: Int
    /// Number of Conv1D filters.
    public var filters: Int
    /// Width of the Conv1D window, in tokens (zero-padded at each review's ends, so every token
    /// position has an output).
    public var kernelSize: Int
    /// Width of the max-pooling window over time (and its stride).
    public var poolSize: Int
    /// Units of every LSTM layer.
    public var lstmUnits: Int
    /// Number of stacked LSTM layers.
    public var lstmLayers: Int
    /// How the top LSTM layer's outputs over time become the dense layer's input.
    public var outputPooling: OutputPooling

    /// A configuration; the defaults are the study's.
    public init(
        vocabularySize: Int, embeddingSize: Int = 100, filters: Int = 128, kernelSize: Int = 3, poolSize: Int = 2,
        lstmUnits: Int = 50, lstmLayers: Int = 3, outputPooling: OutputPooling = .last
    ) {
        self.vocabularySize = vocabularySize
        self.embeddingSize = embeddingSize
        self.filters = filters
        self.kernelSize = kernelSize
        self.poolSize = poolSize
        self.lstmUnits = lstmUnits
        self.lstmLayers = lstmLayers
        self.outputPooling = outputPooling
    }

    /// Width of the dense layer's input.
    var denseInputSize: Int { outputPooling == .maxMean ? 2 * lstmUnits : lstmUnits }

    /// Input width of LSTM layer `layer`.
    func lstmInputSize(_ layer: Int) -> Int { layer == 0 ? filters : lstmUnits }

    /// Sizes that cannot build a network, as a sentence; nil when the configuration is usable.
    public var problem: String? {
        if vocabularySize < 1 { return "the vocabulary size must be at least 1 (got \(vocabularySize))" }
        return shapeProblem
    }

    /// The sizes chosen before training — all but the vocabulary's, which the data decides — that cannot build a
    /// network, as a sentence (``ModelSettings/problem``).
    var shapeProblem: String? {
        let sizes: [(String, Int)] = [
            ("embedding size", embeddingSize), ("filters", filters), ("kernel size", kernelSize),
            ("pool size", poolSize), ("LSTM units", lstmUnits), ("LSTM layers", lstmLayers),
        ]
        for (name, value) in sizes where value < 1 {
            return "the \(name) must be at least 1 (got \(value))"
        }
        return nil
    }
}

/// How the top LSTM layer's outputs over a review's time steps are reduced to one vector.
public enum OutputPooling: String, Codable, Sendable, CaseIterable, Hashable {
    /// The hidden state after the review's last step (the study's choice).
    case last
    /// The element-wise maximum over the review's steps.
    case max
    /// The mean over the review's steps.
    case mean
    /// The maximum and the mean, side by side.
    case maxMean = "max-mean"
}
