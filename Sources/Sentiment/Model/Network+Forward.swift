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
        let layout = BatchLayout(tokenCounts: batch.tokenCounts, poolSize: c.poolSize)
        w.layout = layout
        let dropout = training ? dropout : .none
        w.dropout = dropout
        let tokens = layout.totalTokens
        let rows = layout.totalSteps
        let e = c.embeddingSize
        let h = c.lstmUnits

        let embedded = w.embedded.reserve(tokens * e)
        batch.ids.withUnsafeBufferPointer { ids in
            EmbeddingLayer.forward(
                ids: ids.baseAddress.unsafelyUnwrapped, positions: tokens, idsPerPosition: batch.idsPerPosition,
                table: p + self.layout.embedding, width: e, output: embedded)
        }
        if dropout.embedding > 0 {
            DropoutLayer.forward(
                values: embedded, count: tokens * e, rate: dropout.embedding,
                mask: w.embeddedMask.reserve(tokens * e), generator: &generator)
        }

        let rowWidth = c.kernelSize * e
        let columns = w.columns.reserve(tokens * rowWidth)
        Conv1DLayer.im2col(
            input: embedded, width: e, kernel: c.kernelSize, tokenStarts: layout.tokenStarts, columns: columns)
        let conv = w.conv.reserve(tokens * c.filters)
        Conv1DLayer.forward(
            columns: columns, positions: tokens, rowWidth: rowWidth, filters: c.filters,
            weight: p + self.layout.convWeight, bias: p + self.layout.convBias, output: conv)

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

    /// Pointers to LSTM layer `layer`'s weights inside the parameter vector `p`.
    func lstmWeights(_ layer: Int, _ p: UnsafePointer<Float>) -> LSTMLayer.Weights {
        let offsets = layout.lstm[layer]
        return LSTMLayer.Weights(
            inputWeight: p + offsets.inputWeight, recurrentWeight: p + offsets.recurrentWeight, bias: p + offsets.bias)
    }
}
