import Testing

@testable import Sentiment

/// The whole network's backward pass against numerical derivatives of its loss.
@Suite struct NetworkGradientTests {
    static let sequences: [[Int32]] = [
        [3, 5, 7, 2, 9], [4], [8, 8, 1, 6, 2, 3, 11, 4], [2, 10], [5, 6, 7],
    ]
    static let labels: [Float] = [1, 0, 1, 0, 1]

    func loss(_ network: Network, _ parameters: [Float], batch: TokenBatch) -> Double {
        let workspace = NetworkWorkspace()
        var generator = SeededGenerator(seed: 0)
        return parameters.withUnsafeBufferPointer { p in
            let logits = network.forward(
                batch, parameters: p.baseAddress.unsafelyUnwrapped, workspace: workspace, generator: &generator)
            var d = [Float](repeating: 0, count: Self.labels.count)
            return BinaryCrossEntropy.lossAndGradient(logits: logits, labels: Self.labels, normalizer: 1, dLogits: &d)
        }
    }

    func gradients(_ network: Network, batch: TokenBatch) -> [Float] {
        let workspace = NetworkWorkspace()
        var generator = SeededGenerator(seed: 0)
        var gradients = [Float](repeating: 0, count: network.parameterCount)
        network.parameters.withUnsafeBufferPointer { p in
            let base = p.baseAddress.unsafelyUnwrapped
            let logits = network.forward(
                batch, parameters: base, workspace: workspace, training: true, generator: &generator)
            var d = [Float](repeating: 0, count: Self.labels.count)
            _ = BinaryCrossEntropy.lossAndGradient(logits: logits, labels: Self.labels, normalizer: 1, dLogits: &d)
            network.backward(batch, parameters: base, workspace: workspace, dLogits: d, gradients: &gradients)
        }
        return gradients
    }

    @Test(arguments: OutputPooling.allCases)
    func everyTensorMatchesNumericalGradient(pooling: OutputPooling) {
        let config = NetworkConfig(
            vocabularySize: 12, embeddingSize: 6, filters: 5, kernelSize: 3, poolSize: 2, lstmUnits: 4,
            lstmLayers: 2, outputPooling: pooling)
        var network = Network(config: config, seed: 7)
        // Larger weights than the initialiser's so that every path carries a visible gradient.
        network.parameters = network.parameters.map { $0 * 3 }
        let batch = TokenBatch(Self.sequences, idsPerPosition: 1)
        let analytic = gradients(network, batch: batch)
        var values = network.parameters
        for tensor in network.layout.tensors {
            var slice = Array(values[tensor.offset..<(tensor.offset + tensor.count)])
            let expected = Array(analytic[tensor.offset..<(tensor.offset + tensor.count)])
            GradientChecking.check("\(pooling) \(tensor.name)", values: &slice, analytic: expected, epsilon: 1e-3) {
                candidate in
                values.replaceSubrange(tensor.offset..<(tensor.offset + tensor.count), with: candidate)
                return loss(network, values, batch: batch)
            }
            values = network.parameters
        }
    }
}
