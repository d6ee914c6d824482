/// Where each weight tensor lives in the network's single flat parameter vector (one vector so that
/// the optimiser, gradient reduction across threads and the model file treat all weights alike).
struct ParameterLayout: Sendable, Equatable {
    /// A named tensor: `count` floats from `offset`, row-major in `shape`.
    struct Tensor: Sendable, Equatable {
        let name: String
        let shape: [Int]
        let offset: Int
        var count: Int { shape.reduce(1, *) }
    }

    /// Offsets of one LSTM layer's tensors.
    struct LSTMOffsets: Sendable, Equatable {
        let inputWeight: Int
        let recurrentWeight: Int
        let bias: Int
    }

    /// Every tensor, in file order.
    let tensors: [Tensor]
    /// Total number of parameters.
    let count: Int
    let embedding: Int
    let convWeight: Int
    let convBias: Int
    let lstm: [LSTMOffsets]
    let denseWeight: Int
    let denseBias: Int

    init(config: NetworkConfig) {
        var tensors: [Tensor] = []
        var next = 0
        func add(_ name: String, _ shape: [Int]) -> Int {
            let tensor = Tensor(name: name, shape: shape, offset: next)
            tensors.append(tensor)
            next += tensor.count
            return tensor.offset
        }
        let e = config.embeddingSize
        let h = config.lstmUnits
        embedding = add("embedding", [config.vocabularySize, e])
        convWeight = add("conv.weight", [config.filters, config.kernelSize * e])
        convBias = add("conv.bias", [config.filters])
        var lstm: [LSTMOffsets] = []
        for layer in 0..<config.lstmLayers {
            lstm.append(
                LSTMOffsets(
                    inputWeight: add("lstm\(layer).input_weight", [4 * h, config.lstmInputSize(layer)]),
                    recurrentWeight: add("lstm\(layer).recurrent_weight", [4 * h, h]),
                    bias: add("lstm\(layer).bias", [4 * h])))
        }
        self.lstm = lstm
        denseWeight = add("dense.weight", [config.denseInputSize])
        denseBias = add("dense.bias", [1])
        self.tensors = tensors
        count = next
    }
}
