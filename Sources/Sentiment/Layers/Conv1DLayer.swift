/// One-dimensional convolution over each review's tokens, "same" padding (every token position has
/// an output; windows see zeros past a review's ends). The input is in ``BatchLayout``'s
/// token-level layout, whose zero gap rows separate the reviews, so the whole batch is one matrix
/// product per tap: `output[r] = bias + Σⱼ input[r + j − left] · W_jᵀ` over all rows between the
/// outer gaps (gap rows get values too, which nothing reads).
///
/// Filter matrix: `filters × (kernel · width)`, tap-major (`weight[f][j·width + e]` multiplies
/// channel `e` of the token `j − (kernel − 1)/2` places away).
enum Conv1DLayer {
    /// Shape of one convolution.
    struct Shape {
        let width: Int
        let kernel: Int
        let filters: Int
        var left: Int { (kernel - 1) / 2 }
        var rowWidth: Int { kernel * width }
    }

    /// `output = ReLU(Σⱼ shifted input · W_jᵀ + bias)`, `layout.paddedTokens × filters`.
    static func forward(
        input: UnsafePointer<Float>, shape s: Shape, layout: BatchLayout, weight: UnsafePointer<Float>,
        bias: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>
    ) {
        let (first, rows) = (layout.gap, layout.paddedTokens - 2 * layout.gap)
        for j in 0..<s.kernel {
            BLAS.gemm(
                transB: true, m: rows, n: s.filters, k: s.width, a: input + (first + j - s.left) * s.width,
                lda: s.width,
                b: weight + j * s.width, ldb: s.rowWidth, beta: j == 0 ? 0 : 1, c: output + first * s.filters,
                ldc: s.filters)
        }
        for r in first..<(first + rows) {
            let out = output + r * s.filters
            for f in 0..<s.filters { out[f] = max(out[f] + bias[f], 0) }
        }
    }

    /// Back through the ReLU and the products: masks `dOutput` in place where the unit was off,
    /// accumulates the weight and bias gradients and writes the input gradient (`dInput`, whose
    /// gap rows receive values that nothing reads). `dOutput` must be zero on gap rows.
    static func backward(
        input: UnsafePointer<Float>, shape s: Shape, layout: BatchLayout, weight: UnsafePointer<Float>,
        output: UnsafePointer<Float>, dOutput: UnsafeMutablePointer<Float>, dWeight: UnsafeMutablePointer<Float>,
        dBias: UnsafeMutablePointer<Float>, dInput: UnsafeMutablePointer<Float>
    ) {
        let (first, rows) = (layout.gap, layout.paddedTokens - 2 * layout.gap)
        for r in first..<(first + rows) {
            let out = output + r * s.filters
            let grad = dOutput + r * s.filters
            for f in 0..<s.filters {
                if out[f] <= 0 { grad[f] = 0 }
                dBias[f] += grad[f]
            }
        }
        dInput.update(repeating: 0, count: layout.paddedTokens * s.width)
        let dY = UnsafePointer(dOutput + first * s.filters)
        for j in 0..<s.kernel {
            let shifted = first + j - s.left
            BLAS.gemm(
                transA: true, m: s.filters, n: s.width, k: rows, a: dY, lda: s.filters, b: input + shifted * s.width,
                ldb: s.width, beta: 1, c: dWeight + j * s.width, ldc: s.rowWidth)
            BLAS.gemm(
                m: rows, n: s.width, k: s.filters, a: dY, lda: s.filters, b: weight + j * s.width, ldb: s.rowWidth,
                beta: 1, c: dInput + shifted * s.width, ldc: s.width)
        }
    }
}
