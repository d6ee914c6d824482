extension Network {
    /// Runs the network over `batch` and returns the logits (one per review, batch order), valid
    /// until the workspace's next use. With `training`, it keeps what ``backward(_:parameters:workspace:dLogits:gradients:)``
    /// needs and applies `dropout`, with masks drawn from `generator`.
    @discardableResult
    func forward(
        _ batch: TokenBatch, parameters p: UnsafePointer<Float>, workspace w: NetworkWorkspace, training: Bool = false,
        dropout: DropoutRates = .none, generator: inout SeededGenerator
    ) -> UnsafeMutablePointer<Float> {
        let c = config
        let layout = BatchLayout(tokenCounts: batch.tokenCounts, poolSize: c.poolSize, kernelSize: c.kernelSize)
        w.layout = layout
        let dropout = training ? dropout : .none
        w.dropout = dropout
        let tokenRows = layout.paddedTokens
        let rows = layout.totalSteps
        let e = c.embeddingSize
        let h = c.lstmUnits

        let embedded = w.embedded.reserve(tokenRows * e)
        batch.ids.withUnsafeBufferPointer { ids in
            EmbeddingLayer.forward(
                ids: ids.baseAddress.unsafelyUnwrapped, idsPerPosition: batch.idsPerPosition, layout: layout,
                table: p + self.layout.embedding, width: e, output: embedded)
        }
        if dropout.embedding > 0 {
            DropoutLayer.forward(
                values: embedded, count: tokenRows * e, rate: dropout.embedding,
                mask: w.embeddedMask.reserve(tokenRows * e), generator: &generator)
        }

        let conv = w.conv.reserve(tokenRows * c.filters)
        Conv1DLayer.forward(
            input: embedded, shape: convShape, layout: layout, weight: p + self.layout.convWeight,
            bias: p + self.layout.convBias, output: conv)

        let pooled = w.pooled.reserve(rows * c.filters)
        MaxPoolLayer.forward(
            input: conv, channels: c.filters, size: c.poolSize, layout: layout, output: pooled,
            argmax: training ? w.poolArgmax.reserve(rows * c.filters) : nil)

        var input = UnsafePointer(pooled)
        var inputSize = c.filters
        for (layer, state) in w.lstmStates(c.lstmLayers).prefix(c.lstmLayers).enumerated() {
            let activations = state.reserve(rows: rows, units: h)
            LSTMLayer.forward(
                input: input, inputSize: inputSize, units: h, weights: lstmWeights(layer, p), layout: layout,
                state: activations)
            input = UnsafePointer(activations.hidden)
            inputSize = h
        }

        let width = c.denseInputSize
        let features = w.features.reserve(layout.count * width)
        TimePoolingLayer.forward(
            hidden: input, units: h, mode: c.outputPooling, layout: layout, output: features,
            argmax: w.featureArgmax.reserve(layout.count * h))
        if dropout.features > 0 {
            DropoutLayer.forward(
                values: features, count: layout.count * width, rate: dropout.features,
                mask: w.featureMask.reserve(layout.count * width), generator: &generator)
        }

        let logits = w.logits.reserve(layout.count)
        DenseLayer.forward(
            input: features, count: layout.count, width: width, weight: p + self.layout.denseWeight,
            bias: p[self.layout.denseBias], logits: logits)
        return logits
    }

    /// The convolution's sizes.
    var convShape: Conv1DLayer.Shape {
        Conv1DLayer.Shape(width: config.embeddingSize, kernel: config.kernelSize, filters: config.filters)
    }

    /// Pointers to LSTM layer `layer`'s weights inside the parameter vector `p`.
    func lstmWeights(_ layer: Int, _ p: UnsafePointer<Float>) -> LSTMLayer.Weights {
        let offsets = layout.lstm[layer]
        return LSTMLayer.Weights(
            inputWeight: p + offsets.inputWeight, recurrentWeight: p + offsets.recurrentWeight, bias: p + offsets.bias)
    }
}
