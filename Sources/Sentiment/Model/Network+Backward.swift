extension Network {
    /// Back-propagates `dLogits` (the loss gradient of each logit of the last forward pass in
    /// `workspace`) and adds the parameter gradients to `gradients` (laid out like the parameters).
    func backward(
        _ batch: TokenBatch, parameters p: UnsafePointer<Float>, workspace w: NetworkWorkspace,
        dLogits: UnsafePointer<Float>, gradients g: UnsafeMutablePointer<Float>
    ) {
        guard let layout = w.layout else { preconditionFailure("backward needs a forward pass first") }
        let c = config
        let tokenRows = layout.paddedTokens
        let rows = layout.totalSteps
        let e = c.embeddingSize
        let h = c.lstmUnits
        let width = c.denseInputSize
        let states = w.lstmStates(c.lstmLayers)

        let dFeatures = w.dFeatures.reserve(layout.count * width)
        DenseLayer.backward(
            input: w.features.pointer, count: layout.count, width: width, weight: p + self.layout.denseWeight,
            dLogits: dLogits, dWeight: g + self.layout.denseWeight, dBias: g + self.layout.denseBias,
            dInput: dFeatures)
        if w.dropout.features > 0 {
            DropoutLayer.backward(gradient: dFeatures, count: layout.count * width, mask: w.featureMask.pointer)
        }

        var dHidden = w.dHidden.reserve(rows * max(h, c.filters))
        var dBelow = w.dLayerInput.reserve(rows * max(h, c.filters))
        TimePoolingLayer.backward(
            dOutput: dFeatures, units: h, mode: c.outputPooling, layout: layout,
            argmax: w.featureArgmax.pointer, dHidden: dHidden)

        let scratch = LSTMLayer.Scratch(
            dGates: w.dGates.reserve(rows * 4 * h), previousHidden: w.previousHidden.reserve(rows * h),
            carriedHidden: w.carriedHidden.reserve(layout.count * h),
            carriedCell: w.carriedCell.reserve(layout.count * h), zeros: w.zeros.reserve(h))
        for layer in stride(from: c.lstmLayers - 1, through: 0, by: -1) {
            let input = layer == 0 ? UnsafePointer(w.pooled.pointer) : UnsafePointer(states[layer - 1].hidden.pointer)
            let offsets = self.layout.lstm[layer]
            LSTMLayer.backward(
                input: input, inputSize: c.lstmInputSize(layer), units: h, weights: lstmWeights(layer, p),
                layout: layout, state: states[layer].activations(units: h), dHidden: dHidden, scratch: scratch,
                gradients: LSTMLayer.Gradients(
                    inputWeight: g + offsets.inputWeight, recurrentWeight: g + offsets.recurrentWeight,
                    bias: g + offsets.bias),
                dInput: dBelow)
            swap(&dHidden, &dBelow)
        }
        // `dHidden` now holds the gradient of the pooled convolution output.

        let dConv = w.dConv.reserve(tokenRows * c.filters)
        MaxPoolLayer.backward(
            dOutput: dHidden, argmax: w.poolArgmax.pointer, channels: c.filters, steps: rows, rows: tokenRows,
            dInput: dConv)
        let dEmbedded = w.dEmbedded.reserve(tokenRows * e)
        Conv1DLayer.backward(
            input: w.embedded.pointer, shape: convShape, layout: layout, weight: p + self.layout.convWeight,
            output: w.conv.pointer, dOutput: dConv, dWeight: g + self.layout.convWeight,
            dBias: g + self.layout.convBias,
            dInput: dEmbedded)
        if w.dropout.embedding > 0 {
            DropoutLayer.backward(gradient: dEmbedded, count: tokenRows * e, mask: w.embeddedMask.pointer)
        }
        batch.ids.withUnsafeBufferPointer { ids in
            EmbeddingLayer.backward(
                ids: ids.baseAddress.unsafelyUnwrapped, idsPerPosition: batch.idsPerPosition, layout: layout,
                dOutput: dEmbedded, width: e, dTable: g + self.layout.embedding)
        }
    }
}
