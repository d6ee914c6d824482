import Testing

@testable import Sentiment

/// Each layer's backward pass against numerical derivatives of `Σ r · output` for a fixed random `r`.
@Suite struct LayerGradientTests {
    /// Three reviews of different lengths (5, 1, 4 tokens), so padding edges and a one-token review
    /// are covered.
    static let tokenCounts = [5, 1, 4]
    static var layout: BatchLayout { BatchLayout(tokenCounts: tokenCounts, poolSize: 2, kernelSize: 3) }

    /// Real token rows (`tokens × width`) spread into the gapped token-level layout, gaps zero.
    static func padded(_ tokens: [Float], width: Int, layout: BatchLayout) -> [Float] {
        var out = [Float](repeating: 0, count: layout.paddedTokens * width)
        forEachRow(layout) { p, row in
            out[(row * width)..<((row + 1) * width)] = tokens[(p * width)..<((p + 1) * width)]
        }
        return out
    }

    /// The real token rows of a gapped matrix.
    static func unpadded(_ rows: [Float], width: Int, layout: BatchLayout) -> [Float] {
        var out = [Float](repeating: 0, count: layout.totalTokens * width)
        forEachRow(layout) { p, row in out[(p * width)..<((p + 1) * width)] = rows[(row * width)..<((row + 1) * width)]
        }
        return out
    }

    /// Calls `body(position, gappedRow)` for every token of the batch.
    static func forEachRow(_ layout: BatchLayout, _ body: (Int, Int) -> Void) {
        for b in 0..<layout.count {
            for p in layout.tokenStarts[b]..<layout.tokenStarts[b + 1] {
                body(p, layout.tokenRow(review: b, position: p))
            }
        }
    }

    @Test func gappedLayoutSeparatesReviews() {
        let layout = BatchLayout(tokenCounts: [2, 3], poolSize: 2, kernelSize: 5)
        #expect(layout.gap == 2)
        #expect(layout.tokenRows == [2, 6])
        #expect(layout.paddedTokens == 11)
    }

    @Test(arguments: [3, 2, 5])
    func conv1DMatchesNumericalGradient(kernel: Int) {
        let width = 3
        let filters = 4
        let layout = BatchLayout(tokenCounts: Self.tokenCounts, poolSize: 2, kernelSize: kernel)
        let shape = Conv1DLayer.Shape(width: width, kernel: kernel, filters: filters)
        let tokens = layout.totalTokens
        var input = GradientChecking.random(tokens * width, seed: 1)
        var weight = GradientChecking.random(filters * kernel * width, seed: 2)
        var bias = GradientChecking.random(filters, seed: 3, scale: 0.3)
        // The loss reads real token rows only, as max-pooling does.
        let r = Self.padded(GradientChecking.weights(tokens * filters, seed: 4), width: filters, layout: layout)

        func forward(_ input: [Float], _ weight: [Float], _ bias: [Float]) -> [Float] {
            var output = [Float](repeating: 0, count: layout.paddedTokens * filters)
            Conv1DLayer.forward(
                input: Self.padded(input, width: width, layout: layout), shape: shape, layout: layout, weight: weight,
                bias: bias, output: &output)
            return output
        }
        let loss = { (i: [Float], w: [Float], b: [Float]) in GradientChecking.dot(forward(i, w, b), r) }

        let output = forward(input, weight, bias)
        var dOutput = r
        var dWeight = [Float](repeating: 0, count: weight.count)
        var dBias = [Float](repeating: 0, count: bias.count)
        var dInput = [Float](repeating: 0, count: layout.paddedTokens * width)
        Conv1DLayer.backward(
            input: Self.padded(input, width: width, layout: layout), shape: shape, layout: layout, weight: weight,
            output: output, dOutput: &dOutput, dWeight: &dWeight, dBias: &dBias, dInput: &dInput)

        let (w0, b0, i0) = (weight, bias, input)
        GradientChecking.check(
            "conv input", values: &input, analytic: Self.unpadded(dInput, width: width, layout: layout), samples: 40
        ) { loss($0, w0, b0) }
        GradientChecking.check("conv weight", values: &weight, analytic: dWeight, samples: 40) { loss(i0, $0, b0) }
        GradientChecking.check("conv bias", values: &bias, analytic: dBias) { loss(i0, w0, $0) }
    }

    @Test func conv1DOfABatchEqualsEachReviewAlone() {
        let width = 2
        let shape = Conv1DLayer.Shape(width: width, kernel: 3, filters: 3)
        let weight = GradientChecking.random(3 * 3 * width, seed: 20)
        let bias = GradientChecking.random(3, seed: 21)
        func conv(_ counts: [Int], _ tokens: [Float]) -> [Float] {
            let layout = BatchLayout(tokenCounts: counts, poolSize: 2, kernelSize: 3)
            var output = [Float](repeating: 0, count: layout.paddedTokens * 3)
            Conv1DLayer.forward(
                input: Self.padded(tokens, width: width, layout: layout), shape: shape, layout: layout, weight: weight,
                bias: bias, output: &output)
            return Self.unpadded(output, width: 3, layout: layout)
        }
        let a = GradientChecking.random(4 * width, seed: 22)
        let b = GradientChecking.random(3 * width, seed: 23)
        let together = conv([4, 3], a + b)
        let alone = conv([4], a) + conv([3], b)
        #expect(zip(together, alone).allSatisfy { abs($0 - $1) < 1e-6 })
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
            MaxPoolLayer.forward(
                input: Self.padded(input, width: channels, layout: layout), channels: channels, size: 2, layout: layout,
                output: &output, argmax: &argmax)
            return (output, argmax)
        }
        let (values, argmax) = forward(input)
        var withoutArgmax = [Float](repeating: 0, count: values.count)
        MaxPoolLayer.forward(
            input: Self.padded(input, width: channels, layout: layout), channels: channels, size: 2, layout: layout,
            output: &withoutArgmax, argmax: nil)
        #expect(withoutArgmax == values, "prediction's pooling (no argmax) gives the same maxima")
        var dInput = [Float](repeating: 0, count: layout.paddedTokens * channels)
        MaxPoolLayer.backward(
            dOutput: r, argmax: argmax, channels: channels, steps: layout.totalSteps, rows: layout.paddedTokens,
            dInput: &dInput)
        GradientChecking.check(
            "max-pool input", values: &input, analytic: Self.unpadded(dInput, width: channels, layout: layout),
            samples: 100
        ) { GradientChecking.dot(forward($0).0, r) }
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
            // The layer keeps pointers to its buffers across calls, so they are allocated here rather than
            // borrowed from arrays with `&` (such a pointer is only valid for the call it is passed to).
            var allocated: [UnsafeMutablePointer<Float>] = []
            defer { allocated.forEach { $0.deallocate() } }
            func zeros(_ count: Int) -> UnsafeMutablePointer<Float> {
                let pointer = UnsafeMutablePointer<Float>.allocate(capacity: count)
                pointer.initialize(repeating: 0, count: count)
                allocated.append(pointer)
                return pointer
            }
            let state = LSTMLayer.Activations(
                gates: zeros(rows * 4 * h), cells: zeros(rows * h), tanhCells: zeros(rows * h), hidden: zeros(rows * h))
            let dInput = zeros(rows * d)
            let gradients = LSTMLayer.Gradients(
                inputWeight: zeros(wi.count), recurrentWeight: zeros(wh.count), bias: zeros(b.count))
            x.withUnsafeBufferPointer { x in
                wi.withUnsafeBufferPointer { wi in
                    wh.withUnsafeBufferPointer { wh in
                        b.withUnsafeBufferPointer { b in
                            let weights = LSTMLayer.Weights(
                                inputWeight: wi.baseAddress!, recurrentWeight: wh.baseAddress!, bias: b.baseAddress!)
                            LSTMLayer.forward(
                                input: x.baseAddress!, inputSize: d, units: h, weights: weights, layout: layout,
                                state: state)
                            guard let dHidden else { return }
                            LSTMLayer.backward(
                                input: x.baseAddress!, inputSize: d, units: h, weights: weights, layout: layout,
                                state: state, dHidden: dHidden,
                                scratch: LSTMLayer.Scratch(
                                    dGates: zeros(rows * 4 * h), previousHidden: zeros(rows * h),
                                    carriedHidden: zeros(layout.count * h), carriedCell: zeros(layout.count * h),
                                    zeros: zeros(h)),
                                gradients: gradients, dInput: dInput)
                        }
                    }
                }
            }
            func array(_ pointer: UnsafeMutablePointer<Float>, _ count: Int) -> [Float] {
                Array(UnsafeBufferPointer(start: pointer, count: count))
            }
            return (
                array(state.hidden, rows * h), array(dInput, rows * d), array(gradients.inputWeight, wi.count),
                array(gradients.recurrentWeight, wh.count), array(gradients.bias, b.count)
            )
        }
        let analytic = run(input, wih, whh, bias, dHidden: r)
        let (x0, wi0, wh0, b0) = (input, wih, whh, bias)
        let loss = { (x: [Float], wi: [Float], wh: [Float], b: [Float]) in
            GradientChecking.dot(run(x, wi, wh, b, dHidden: nil).hidden, r)
        }
        GradientChecking.check("lstm input", values: &input, analytic: analytic.dInput, samples: 40) {
            loss($0, wi0, wh0, b0)
        }
        GradientChecking.check("lstm input weight", values: &wih, analytic: analytic.dWih, samples: 40) {
            loss(x0, $0, wh0, b0)
        }
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
            TimePoolingLayer.forward(
                hidden: hidden, units: h, mode: mode, layout: layout, output: &output, argmax: &argmax)
            return (output, argmax)
        }
        var dHidden = [Float](repeating: 0, count: hidden.count)
        TimePoolingLayer.backward(
            dOutput: r, units: h, mode: mode, layout: layout, argmax: forward(hidden).1, dHidden: &dHidden)
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
        GradientChecking.check("dense input", values: &input, analytic: dInput) {
            GradientChecking.dot(forward($0, w0), r)
        }
        GradientChecking.check("dense weight", values: &weight, analytic: dWeight) {
            GradientChecking.dot(forward(i0, $0), r)
        }
        #expect(abs(dBias[0] - r.reduce(0, +)) < 1e-5)
    }

    @Test func embeddingSumsRowsAndScattersGradients() {
        let width = 2
        // Two reviews of one position each, two ids per position; id 0 contributes nothing.
        let ids: [Int32] = [2, 3, 1, 0]
        let layout = BatchLayout(tokenCounts: [1, 1], poolSize: 2, kernelSize: 3)
        var table = GradientChecking.random(4 * width, seed: 17)
        for j in 0..<width { table[j] = 0 }
        let r = Self.padded(GradientChecking.weights(2 * width, seed: 18), width: width, layout: layout)
        func forward(_ table: [Float]) -> [Float] {
            var output = [Float](repeating: 9, count: layout.paddedTokens * width)
            EmbeddingLayer.forward(
                ids: ids, idsPerPosition: 2, layout: layout, table: table, width: width, output: &output)
            return output
        }
        let output = forward(table)
        #expect(output[0] == 0 && output[width * 2] == 0, "gap rows are zero")
        #expect(abs(output[width] - (table[2 * width] + table[3 * width])) < 1e-6)
        var dTable = [Float](repeating: 0, count: table.count)
        EmbeddingLayer.backward(ids: ids, idsPerPosition: 2, layout: layout, dOutput: r, width: width, dTable: &dTable)
        #expect(dTable[0] == 0 && dTable[1] == 0, "the 'nothing' row gets no gradient")
        GradientChecking.check("embedding", values: &table, analytic: dTable) { GradientChecking.dot(forward($0), r) }
    }
}
