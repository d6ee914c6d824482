/// Max-pooling over time with window = stride = `size`, per review (a review's last window may be
/// shorter). It reads token-level rows (``BatchLayout``'s gapped layout) and writes step rows in the
/// packed, time-major order that the LSTMs consume.
enum MaxPoolLayer {
    /// `output[row(b, t)][f] = max over the window's tokens`; `argmax`, when given (training),
    /// keeps the winning token row for the backward pass.
    static func forward(
        input: UnsafePointer<Float>, channels: Int, size: Int, layout: BatchLayout,
        output: UnsafeMutablePointer<Float>, argmax: UnsafeMutablePointer<Int32>?
    ) {
        guard let argmax else {
            forwardValues(input: input, channels: channels, size: size, layout: layout, output: output)
            return
        }
        for b in 0..<layout.count {
            let start = layout.tokenRows[b]
            let end = start + layout.tokenStarts[b + 1] - layout.tokenStarts[b]
            for t in 0..<layout.steps[b] {
                let row = layout.row(review: b, step: t)
                let out = output + row * channels
                let arg = argmax + row * channels
                let first = start + t * size
                let last = min(first + size, end)
                out.update(from: input + first * channels, count: channels)
                for c in 0..<channels { arg[c] = Int32(first) }
                var p = first + 1
                while p < last {
                    let source = input + p * channels
                    for c in 0..<channels where source[c] > out[c] {
                        out[c] = source[c]
                        arg[c] = Int32(p)
                    }
                    p += 1
                }
            }
        }
    }

    /// The maxima alone: a branch-free loop the compiler vectorises (prediction needs no argmax).
    private static func forwardValues(
        input: UnsafePointer<Float>, channels: Int, size: Int, layout: BatchLayout, output: UnsafeMutablePointer<Float>
    ) {
        for b in 0..<layout.count {
            let start = layout.tokenRows[b]
            let end = start + layout.tokenStarts[b + 1] - layout.tokenStarts[b]
            for t in 0..<layout.steps[b] {
                let out = output + layout.row(review: b, step: t) * channels
                let first = start + t * size
                out.update(from: input + first * channels, count: channels)
                for p in (first + 1)..<min(first + size, end) {
                    let source = input + p * channels
                    for c in 0..<channels { out[c] = max(out[c], source[c]) }
                }
            }
        }
    }

    /// Routes each step gradient to the token row that won its window; `dInput` (`rows × channels`)
    /// is overwritten, zero everywhere else (gap rows included).
    static func backward(
        dOutput: UnsafePointer<Float>, argmax: UnsafePointer<Int32>, channels: Int, steps: Int, rows: Int,
        dInput: UnsafeMutablePointer<Float>
    ) {
        dInput.update(repeating: 0, count: rows * channels)
        for row in 0..<steps {
            let grad = dOutput + row * channels
            let arg = argmax + row * channels
            for c in 0..<channels { dInput[Int(arg[c]) * channels + c] += grad[c] }
        }
    }
}
