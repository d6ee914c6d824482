/// One LSTM layer over a packed, time-major batch (see ``BatchLayout``), gates in the order
/// input, forget, cell, output (PyTorch's):
///
///     i, f, g, o = σ(W_ih·x + W_hh·h + b)   (g with tanh instead of σ)
///     c' = f·c + i·g,   h' = o·tanh(c')
///
/// The input projections of all time steps of all reviews are one `sgemm`; each time step then
/// adds one product with the recurrent weights for the reviews still running.
enum LSTMLayer {
    /// The weights of one layer: `inputWeight` is `4H × D`, `recurrentWeight` `4H × H`, `bias` `4H`.
    struct Weights {
        let inputWeight: UnsafePointer<Float>
        let recurrentWeight: UnsafePointer<Float>
        let bias: UnsafePointer<Float>
    }

    /// Gradient accumulators shaped like ``Weights``.
    struct Gradients {
        let inputWeight: UnsafeMutablePointer<Float>
        let recurrentWeight: UnsafeMutablePointer<Float>
        let bias: UnsafeMutablePointer<Float>
    }

    /// What the forward pass keeps for the backward pass, one row per step row of the batch:
    /// activated gates (`4H`), cell states, their tanh and the hidden states (`H` each).
    struct Activations {
        let gates: UnsafeMutablePointer<Float>
        let cells: UnsafeMutablePointer<Float>
        let tanhCells: UnsafeMutablePointer<Float>
        let hidden: UnsafeMutablePointer<Float>
    }

    /// Scratch space for the backward pass: `dGates` (`rows × 4H`), `previousHidden`
    /// (`rows × H`), the recurrent gradients `dHidden`/`dCell` carried between steps (`batch × H`)
    /// and one row of `H` zeros.
    struct Scratch {
        let dGates: UnsafeMutablePointer<Float>
        let previousHidden: UnsafeMutablePointer<Float>
        let carriedHidden: UnsafeMutablePointer<Float>
        let carriedCell: UnsafeMutablePointer<Float>
        let zeros: UnsafeMutablePointer<Float>
    }

    /// Runs the layer over `input` (`rows × inputSize`) and fills `state`.
    static func forward(
        input: UnsafePointer<Float>, inputSize: Int, units: Int, weights: Weights, layout: BatchLayout,
        state: Activations
    ) {
        let h = units
        let g4 = 4 * h
        let rows = layout.totalSteps
        let gates = state.gates
        for r in 0..<rows { (gates + r * g4).update(from: weights.bias, count: g4) }
        BLAS.gemm(
            transB: true, m: rows, n: g4, k: inputSize, a: input, lda: inputSize, b: weights.inputWeight,
            ldb: inputSize, beta: 1, c: gates, ldc: g4)
        for t in 0..<layout.maxSteps {
            let start = layout.stepStarts[t]
            let n = layout.stepCounts[t]
            if t > 0 {
                let previous = layout.stepStarts[t - 1]
                BLAS.gemm(
                    transB: true, m: n, n: g4, k: h, a: state.hidden + previous * h, lda: h,
                    b: weights.recurrentWeight, ldb: h, beta: 1, c: gates + start * g4, ldc: g4)
            }
            for r in 0..<n {
                let row = start + r
                let g = gates + row * g4
                // Gates i and f are contiguous, then g, then o.
                Activation.sigmoid(g, count: 2 * h)
                Activation.tanh(g + 2 * h, count: h)
                Activation.sigmoid(g + 3 * h, count: h)
                let c = state.cells + row * h
                if t > 0 {
                    let previousCell = state.cells + (layout.stepStarts[t - 1] + r) * h
                    for j in 0..<h { c[j] = g[h + j] * previousCell[j] + g[j] * g[2 * h + j] }
                } else {
                    for j in 0..<h { c[j] = g[j] * g[2 * h + j] }
                }
                let tc = state.tanhCells + row * h
                tc.update(from: c, count: h)
                Activation.tanh(tc, count: h)
                let hidden = state.hidden + row * h
                for j in 0..<h { hidden[j] = g[3 * h + j] * tc[j] }
            }
        }
    }

    /// Back-propagation through time. `dHidden` (`rows × H`) holds the loss gradient of every
    /// hidden state from above; the input gradient is written to `dInput` (`rows × inputSize`,
    /// skipped when nil) and the weight gradients are accumulated.
    static func backward(
        input: UnsafePointer<Float>, inputSize: Int, units: Int, weights: Weights, layout: BatchLayout,
        state: Activations, dHidden: UnsafePointer<Float>, scratch: Scratch, gradients: Gradients,
        dInput: UnsafeMutablePointer<Float>?
    ) {
        let h = units
        let g4 = 4 * h
        let rows = layout.totalSteps
        let dGates = scratch.dGates
        scratch.carriedHidden.update(repeating: 0, count: layout.count * h)
        scratch.carriedCell.update(repeating: 0, count: layout.count * h)
        let zeros = UnsafePointer(scratch.zeros)
        scratch.zeros.update(repeating: 0, count: h)
        for t in stride(from: layout.maxSteps - 1, through: 0, by: -1) {
            let start = layout.stepStarts[t]
            let n = layout.stepCounts[t]
            for r in 0..<n {
                let row = start + r
                let g = state.gates + row * g4
                let dg = dGates + row * g4
                let tc = state.tanhCells + row * h
                let dh = dHidden + row * h
                let carriedH = scratch.carriedHidden + r * h
                let carriedC = scratch.carriedCell + r * h
                // The cell state before step 0 is zero; a zero row stands in for it.
                let previousCell = t > 0 ? UnsafePointer(state.cells + (layout.stepStarts[t - 1] + r) * h) : zeros
                for j in 0..<h {
                    let i = g[j]
                    let f = g[h + j]
                    let cand = g[2 * h + j]
                    let o = g[3 * h + j]
                    let tanhCell = tc[j]
                    let gradH = dh[j] + carriedH[j]
                    let gradC = carriedC[j] + gradH * o * (1 - tanhCell * tanhCell)
                    let cPrev = previousCell[j]
                    dg[j] = gradC * cand * i * (1 - i)
                    dg[h + j] = gradC * cPrev * f * (1 - f)
                    dg[2 * h + j] = gradC * i * (1 - cand * cand)
                    dg[3 * h + j] = gradH * tanhCell * o * (1 - o)
                    carriedC[j] = gradC * f
                }
            }
            if t > 0 {
                // Gradient of the previous step's hidden state, through the recurrent weights.
                BLAS.gemm(
                    m: n, n: h, k: g4, a: dGates + start * g4, lda: g4, b: weights.recurrentWeight, ldb: h, beta: 0,
                    c: scratch.carriedHidden, ldc: h)
            }
        }
        for r in 0..<rows {
            let dg = dGates + r * g4
            for k in 0..<g4 { gradients.bias[k] += dg[k] }
        }
        BLAS.gemm(
            transA: true, m: g4, n: inputSize, k: rows, a: dGates, lda: g4, b: input, ldb: inputSize, beta: 1,
            c: gradients.inputWeight, ldc: inputSize)
        if layout.maxSteps > 1 {
            // Hidden states h(t−1) aligned with the gate rows of steps t ≥ 1.
            let first = layout.stepCounts[0]
            var out = scratch.previousHidden
            for t in 1..<layout.maxSteps {
                let n = layout.stepCounts[t]
                out.update(from: state.hidden + layout.stepStarts[t - 1] * h, count: n * h)
                out += n * h
            }
            BLAS.gemm(
                transA: true, m: g4, n: h, k: rows - first, a: dGates + first * g4, lda: g4,
                b: scratch.previousHidden, ldb: h, beta: 1, c: gradients.recurrentWeight, ldc: h)
        }
        if let dInput {
            BLAS.gemm(
                m: rows, n: inputSize, k: g4, a: dGates, lda: g4, b: weights.inputWeight, ldb: inputSize, beta: 0,
                c: dInput, ldc: inputSize)
        }
    }
}
