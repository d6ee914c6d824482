/// The network's shape and its weights: an immutable value once trained.
struct Network: Sendable, Equatable {
    /// The sizes of every layer.
    let config: NetworkConfig
    /// Where each tensor lives in `parameters`.
    let layout: ParameterLayout
    /// All weights, laid out by `layout`.
    var parameters: [Float]

    /// A network with the given weights (which must match the configuration's size).
    init(config: NetworkConfig, parameters: [Float]) {
        self.config = config
        self.layout = ParameterLayout(config: config)
        precondition(parameters.count == layout.count, "parameter vector matches the configuration")
        self.parameters = parameters
    }

    /// A freshly initialised network.
    init(config: NetworkConfig, seed: UInt64) {
        self.init(config: config, parameters: NetworkInitializer.parameters(for: config, seed: seed))
    }

    /// Number of trainable parameters.
    var parameterCount: Int { layout.count }

    /// Multiply–adds of one forward pass over a review of `tokens` tokens (the matrix products
    /// only; element-wise work is a few percent on top).
    func multiplyAdds(tokens: Int) -> Int {
        let c = config
        let steps = (tokens + c.poolSize - 1) / c.poolSize
        var total = tokens * c.filters * c.kernelSize * c.embeddingSize
        for layer in 0..<c.lstmLayers {
            total += steps * 4 * c.lstmUnits * (c.lstmInputSize(layer) + c.lstmUnits)
        }
        return total + c.denseInputSize
    }
}

/// Reviews encoded as token ids, ready for the network: `ids` holds every review's positions one
/// after another, `idsPerPosition` ids per position.
struct TokenBatch {
    let ids: [Int32]
    let tokenCounts: [Int]
    let idsPerPosition: Int

    /// A batch of encoded reviews (each at least one position long).
    init(_ sequences: [[Int32]], idsPerPosition: Int) {
        var ids: [Int32] = []
        ids.reserveCapacity(sequences.reduce(0) { $0 + $1.count })
        for s in sequences { ids.append(contentsOf: s) }
        self.ids = ids
        self.tokenCounts = sequences.map { $0.count / idsPerPosition }
        self.idsPerPosition = idsPerPosition
    }
}

/// Dropout rates used while training; prediction uses none.
struct DropoutRates: Sendable, Equatable {
    /// Rate on the embedded tokens.
    var embedding: Float
    /// Rate on the pooled LSTM output that feeds the dense layer.
    var features: Float

    static let none = DropoutRates(embedding: 0, features: 0)
}
