import Testing

@testable import Sentiment

/// Each layer's backward pass against numerical derivatives of `Σ r · output` for a fixed random `r`.
@Suite struct LayerGradientTests {
    /// Three reviews of different lengths (5, 1, 4 tokens), so padding edges and a one-token review
    /// are covered.
    static let tokenCounts = [5, 1, 4]
    static var layout: BatchLayout { BatchLayout(tokenCounts: tokenCounts, poolSize: 2) }

    @Test func conv1DMatchesNumericalGradient() {
        let width = 3
        let kernel = 3
        let filters = 4
        let positions = Self.tokenCounts.reduce(0, +)
        let starts = Self.layout.tokenStarts
        var input = GradientChecking.random(positions * width, seed: 1)
        var weight = GradientChecking.random(filters * kernel * width, seed: 2)
        var bias = GradientChecking.random(filters, seed: 3, scale: 0.3)
        let r = GradientChecking.weights(positions * filters, seed: 4)

        func forward(_ input: [Float], _ weight: [Float], _ bias: [Float]) -> [Float] {
            var columns = [Float](repeating: 0, count: positions * kernel * width)
            var output = [Float](repeating: 0, count: positions * filters)
            Conv1DLayer.im2col(input: input, width: width, kernel: kernel, tokenStarts: starts, columns: &columns)
            Conv1DLayer.forward(
                columns: columns, positions: positions, rowWidth: kernel * width, filters: filters, weight: weight,
                bias: bias, output: &output)
            return output
        }
        let loss = { (i: [Float], w: [Float], b: [Float]) in GradientChecking.dot(forward(i, w, b), r) }

        var columns = [Float](repeating: 0, count: positions * kernel * width)
        Conv1DLayer.im2col(input: input, width: width, kernel: kernel, tokenStarts: starts, columns: &columns)
        let output = forward(input, weight, bias)
        var dOutput = r
        var dWeight = [Float](repeating: 0, count: weight.count)
        var dBias = [Float](repeating: 0, count: bias.count)
        var dColumns = [Float](repeating: 0, count: columns.count)
        var dInput = [Float](repeating: 0, count: input.count)
        Conv1DLayer.backward(
            columns: columns, positions: positions, rowWidth: kernel * width, filters: filters, weight: weight,
            output: output, dOutput: &dOutput, dWeight: &dWeight, dBias: &dBias, dColumns: &dColumns)
        Conv1DLayer.col2im(dColumns: dColumns, width: width, kernel: kernel, tokenStarts: starts, dInput: &dInput)

        let (w0, b0, i0) = (weight, bias, input)
        GradientChecking.check("conv input", values: &input, analytic: dInput, samples: 40) { loss($0, w0, b0) }
        GradientChecking.check("conv weight", values: &weight, analytic: dWeight, samples: 40) { loss(i0, $0, b0) }
        GradientChecking.check("conv bias", values: &bias, analytic: dBias) { loss(i0, w0, $0) }
    }

    @Test func maxPoolMatchesNumericalGradient() {
        let channels = 3
        let layout = Self.layout
        let tokens = layout.totalTokens
        var input = GradientChecking.random(tokens * channels, seed: 5)
        let r = GradientChecking.weights(layout.totalSteps * channels, seed: 6)
        func forward(_ input: [Float]) -> ([Float], [Int32]) {
            var output = [Float](repeating: 0, count: layout.totalSteps * channels)
            var argmax = [Int32](repeating: 0, count: output.count)
            MaxPoolLayer.forward(input: input, channels: channels, size: 2, layout: layout, output: &output, argmax: &argmax)
            return (output, argmax)
        }
        let (_, argmax) = forward(input)
        var dInput = [Float](repeating: 0, count: input.count)
        MaxPoolLayer.backward(
            dOutput: r, argmax: argmax, channels: channels, steps: layout.totalSteps, tokens: tokens, dInput: &dInput)
        GradientChecking.check("max-pool input", values: &input, analytic: dInput, samples: 100) {
            GradientChecking.dot(forward($0).0, r)
        }
    }

    @Test func lstmMatchesNumericalGradient() {
        let layout = Self.layout
        let rows = layout.totalSteps
        let d = 3
        let h = 4
        var input = GradientChecking.random(rows * d, seed: 7)
        var wih = GradientChecking.random(4 * h * d, seed: 8, scale: 0.8)
        var whh = GradientChecking.random(4 * h * h, seed: 9, scale: 0.8)
        var bias = GradientChecking.random(4 * h, seed: 10, scale: 0.5)
        let r = GradientChecking.weights(rows * h, seed: 11)

        func run(_ x: [Float], _ wi: [Float], _ wh: [Float], _ b: [Float], dHidden: [Float]?)
            -> (hidden: [Float], dInput: [Float], dWih: [Float], dWhh: [Float], dBias: [Float])
        {
            var gates = [Float](repeating: 0, count: rows * 4 * h)
            var cells = [Float](repeating: 0, count: rows * h)
            var tanhCells = cells
            var hidden = cells
            var out = ([Float](), [Float](repeating: 0, count: rows * d), [Float](repeating: 0, count: wi.count),
                       [Float](repeating: 0, count: wh.count), [Float](repeating: 0, count: b.count))
            x.withUnsafeBufferPointer { x in
                wi.withUnsafeBufferPointer { wi in
                    wh.withUnsafeBufferPointer { wh in
                        b.withUnsafeBufferPointer { b in
                            let weights = LSTMLayer.Weights(
                                inputWeight: wi.baseAddress!, recurrentWeight: wh.baseAddress!, bias: b.baseAddress!)
                            let state = LSTMLayer.Activations(
                                gates: &gates, cells: &cells, tanhCells: &tanhCells, hidden: &hidden)
                            LSTMLayer.forward(
                                input: x.baseAddress!, inputSize: d, units: h, weights: weights, layout: layout, state: state)
                            guard let dHidden else { return }
                            var dGates = [Float](repeating: 0, count: rows * 4 * h)
                            var previous = [Float](repeating: 0, count: rows * h)
                            var carriedH = [Float](repeating: 0, count: layout.count * h)
                            var carriedC = carriedH
                            var zeros = [Float](repeating: 0, count: h)
                            LSTMLayer.backward(
                                input: x.baseAddress!, inputSize: d, units: h, weights: weights, layout: layout,
                                state: state, dHidden: dHidden,
                                scratch: LSTMLayer.Scratch(
                                    dGates: &dGates, previousHidden: &previous, carriedHidden: &carriedH,
                                    carriedCell: &carriedC, zeros: &zeros),
                                gradients: LSTMLayer.Gradients(inputWeight: &out.2, recurrentWeight: &out.3, bias: &out.4),
                                dInput: &out.1)
                        }
                    }
                }
            }
            out.0 = hidden
            return out
        }
        let analytic = run(input, wih, whh, bias, dHidden: r)
        let (x0, wi0, wh0, b0) = (input, wih, whh, bias)
        let loss = { (x: [Float], wi: [Float], wh: [Float], b: [Float]) in
            GradientChecking.dot(run(x, wi, wh, b, dHidden: nil).hidden, r)
        }
        GradientChecking.check("lstm input", values: &input, analytic: analytic.dInput, samples: 40) { loss($0, wi0, wh0, b0) }
        GradientChecking.check("lstm input weight", values: &wih, analytic: analytic.dWih, samples: 40) { loss(x0, $0, wh0, b0) }
        GradientChecking.check("lstm recurrent weight", values: &whh, analytic: analytic.dWhh, samples: 40) {
            loss(x0, wi0, $0, b0)
        }
        GradientChecking.check("lstm bias", values: &bias, analytic: analytic.dBias) { loss(x0, wi0, wh0, $0) }
    }

    @Test(arguments: OutputPooling.allCases)
    func timePoolingMatchesNumericalGradient(mode: OutputPooling) {
        let layout = Self.layout
        let h = 3
        let width = mode == .maxMean ? 2 * h : h
        var hidden = GradientChecking.random(layout.totalSteps * h, seed: 12)
        let r = GradientChecking.weights(layout.count * width, seed: 13)
        func forward(_ hidden: [Float]) -> ([Float], [Int32]) {
            var output = [Float](repeating: 0, count: layout.count * width)
            var argmax = [Int32](repeating: 0, count: layout.count * h)
            TimePoolingLayer.forward(hidden: hidden, units: h, mode: mode, layout: layout, output: &output, argmax: &argmax)
            return (output, argmax)
        }
        var dHidden = [Float](repeating: 0, count: hidden.count)
        TimePoolingLayer.backward(dOutput: r, units: h, mode: mode, layout: layout, argmax: forward(hidden).1, dHidden: &dHidden)
        GradientChecking.check("\(mode) pooling", values: &hidden, analytic: dHidden, samples: 100) {
            GradientChecking.dot(forward($0).0, r)
        }
    }

    @Test func denseMatchesNumericalGradient() {
        let count = 3
        let width = 4
        var input = GradientChecking.random(count * width, seed: 14)
        var weight = GradientChecking.random(width, seed: 15)
        let r = GradientChecking.weights(count, seed: 16)
        func forward(_ input: [Float], _ weight: [Float]) -> [Float] {
            var logits = [Float](repeating: 0, count: count)
            DenseLayer.forward(input: input, count: count, width: width, weight: weight, bias: 0.3, logits: &logits)
            return logits
        }
        var dWeight = [Float](repeating: 0, count: width)
        var dBias: [Float] = [0]
        var dInput = [Float](repeating: 0, count: input.count)
        DenseLayer.backward(
            input: input, count: count, width: width, weight: weight, dLogits: r, dWeight: &dWeight, dBias: &dBias,
            dInput: &dInput)
        let (i0, w0) = (input, weight)
        GradientChecking.check("dense input", values: &input, analytic: dInput) { GradientChecking.dot(forward($0, w0), r) }
        GradientChecking.check("dense weight", values: &weight, analytic: dWeight) { GradientChecking.dot(forward(i0, $0), r) }
        #expect(abs(dBias[0] - r.reduce(0, +)) < 1e-5)
    }

    @Test func embeddingSumsRowsAndScattersGradients() {
        let width = 2
        // Two positions with two ids each; id 0 contributes nothing.
        let ids: [Int32] = [2, 3, 1, 0]
        var table = GradientChecking.random(4 * width, seed: 17)
        let r = GradientChecking.weights(2 * width, seed: 18)
        func forward(_ table: [Float]) -> [Float] {
            var output = [Float](repeating: 0, count: 2 * width)
            EmbeddingLayer.forward(ids: ids, positions: 2, idsPerPosition: 2, table: table, width: width, output: &output)
            return output
        }
        var dTable = [Float](repeating: 0, count: table.count)
        EmbeddingLayer.backward(ids: ids, positions: 2, idsPerPosition: 2, dOutput: r, width: width, dTable: &dTable)
        #expect(dTable[0] == 0 && dTable[1] == 0, "the 'nothing' row gets no gradient")
        GradientChecking.check("embedding", values: &table, analytic: dTable) { GradientChecking.dot(forward($0), r) }
    }
}
