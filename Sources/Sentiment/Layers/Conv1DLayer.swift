/// One-dimensional convolution over each review's token positions, as a matrix product: the
/// windows of all positions of the batch are laid out side by side (im2col) and multiplied by the
/// filter matrix in one `sgemm`. Each review is zero-padded at its own ends ("same" padding), so
/// a review's output never depends on its neighbours in the batch.
///
/// Filter matrix: `filters × (kernel · width)`, tap-major (`weight[f][j·width + e]` multiplies
/// channel `e` of the token `j − (kernel − 1)/2` places away).
enum Conv1DLayer {
    /// Lays out every position's window of `kernel` input rows as one row of `columns`.
    static func im2col(
        input: UnsafePointer<Float>, width: Int, kernel: Int, tokenStarts: [Int],
        columns: UnsafeMutablePointer<Float>
    ) {
        let left = (kernel - 1) / 2
        let rowWidth = kernel * width
        for b in 0..<(tokenStarts.count - 1) {
            let start = tokenStarts[b]
            let end = tokenStarts[b + 1]
            for p in start..<end {
                let out = columns + p * rowWidth
                for j in 0..<kernel {
                    let source = p + j - left
                    let slot = out + j * width
                    if source >= start && source < end {
                        slot.update(from: input + source * width, count: width)
                    } else {
                        slot.update(repeating: 0, count: width)
                    }
                }
            }
        }
    }

    /// Adds each window row of `dColumns` back onto the input positions it was copied from.
    static func col2im(
        dColumns: UnsafePointer<Float>, width: Int, kernel: Int, tokenStarts: [Int],
        dInput: UnsafeMutablePointer<Float>
    ) {
        let left = (kernel - 1) / 2
        let rowWidth = kernel * width
        let positions = tokenStarts[tokenStarts.count - 1]
        dInput.update(repeating: 0, count: positions * width)
        for b in 0..<(tokenStarts.count - 1) {
            let start = tokenStarts[b]
            let end = tokenStarts[b + 1]
            for p in start..<end {
                let row = dColumns + p * rowWidth
                for j in 0..<kernel {
                    let target = p + j - left
                    guard target >= start && target < end else { continue }
                    let slot = row + j * width
                    let out = dInput + target * width
                    for e in 0..<width { out[e] += slot[e] }
                }
            }
        }
    }

    /// `output = ReLU(columns · weightᵀ + bias)`, `positions × filters`.
    static func forward(
        columns: UnsafePointer<Float>, positions: Int, rowWidth: Int, filters: Int,
        weight: UnsafePointer<Float>, bias: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>
    ) {
        for p in 0..<positions { (output + p * filters).update(from: bias, count: filters) }
        BLAS.gemm(
            transB: true, m: positions, n: filters, k: rowWidth, a: columns, lda: rowWidth, b: weight, ldb: rowWidth,
            beta: 1, c: output, ldc: filters)
        for i in 0..<(positions * filters) { output[i] = max(output[i], 0) }
    }

    /// Back through the ReLU and the product: masks `dOutput` in place where the unit was off,
    /// accumulates the weight and bias gradients and writes the window gradients.
    static func backward(
        columns: UnsafePointer<Float>, positions: Int, rowWidth: Int, filters: Int,
        weight: UnsafePointer<Float>, output: UnsafePointer<Float>, dOutput: UnsafeMutablePointer<Float>,
        dWeight: UnsafeMutablePointer<Float>, dBias: UnsafeMutablePointer<Float>,
        dColumns: UnsafeMutablePointer<Float>
    ) {
        for i in 0..<(positions * filters) where output[i] <= 0 { dOutput[i] = 0 }
        for p in 0..<positions {
            let row = dOutput + p * filters
            for f in 0..<filters { dBias[f] += row[f] }
        }
        BLAS.gemm(
            transA: true, m: filters, n: rowWidth, k: positions, a: dOutput, lda: filters, b: columns, ldb: rowWidth,
            beta: 1, c: dWeight, ldc: rowWidth)
        BLAS.gemm(
            m: positions, n: rowWidth, k: filters, a: dOutput, lda: filters, b: weight, ldb: rowWidth,
            beta: 0, c: dColumns, ldc: rowWidth)
    }
}
