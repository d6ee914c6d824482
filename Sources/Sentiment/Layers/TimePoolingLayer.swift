/// Reduces the top LSTM layer's hidden states over each review's own time steps to one vector per
/// review (batch order), as ``OutputPooling`` says. Only the review's real steps take part.
enum TimePoolingLayer {
    /// Fills `output` (`batch × width`, width `H` or `2H` for max-mean); `argmax` (`batch × H`)
    /// keeps the winning row of each unit for `.max` and `.maxMean`.
    static func forward(
        hidden: UnsafePointer<Float>, units: Int, mode: OutputPooling, layout: BatchLayout,
        output: UnsafeMutablePointer<Float>, argmax: UnsafeMutablePointer<Int32>
    ) {
        let width = mode == .maxMean ? 2 * units : units
        for b in 0..<layout.count {
            let out = output + b * width
            let steps = layout.steps[b]
            switch mode {
            case .last:
                out.update(from: hidden + layout.row(review: b, step: steps - 1) * units, count: units)
            case .max, .maxMean:
                maxOver(
                    hidden: hidden, units: units, review: b, layout: layout, output: out, argmax: argmax + b * units)
                if mode == .maxMean {
                    meanOver(hidden: hidden, units: units, review: b, layout: layout, output: out + units)
                }
            case .mean:
                meanOver(hidden: hidden, units: units, review: b, layout: layout, output: out)
            }
        }
    }

    /// Spreads `dOutput` back onto the hidden states it came from; `dHidden` (`rows × H`) is overwritten.
    static func backward(
        dOutput: UnsafePointer<Float>, units: Int, mode: OutputPooling, layout: BatchLayout,
        argmax: UnsafePointer<Int32>, dHidden: UnsafeMutablePointer<Float>
    ) {
        let width = mode == .maxMean ? 2 * units : units
        dHidden.update(repeating: 0, count: layout.totalSteps * units)
        for b in 0..<layout.count {
            let grad = dOutput + b * width
            let steps = layout.steps[b]
            switch mode {
            case .last:
                let target = dHidden + layout.row(review: b, step: steps - 1) * units
                for j in 0..<units { target[j] += grad[j] }
            case .max, .maxMean:
                let arg = argmax + b * units
                for j in 0..<units { dHidden[Int(arg[j]) * units + j] += grad[j] }
                if mode == .maxMean {
                    spreadMean(grad + units, units: units, review: b, layout: layout, dHidden: dHidden)
                }
            case .mean:
                spreadMean(grad, units: units, review: b, layout: layout, dHidden: dHidden)
            }
        }
    }

    private static func maxOver(
        hidden: UnsafePointer<Float>, units: Int, review b: Int, layout: BatchLayout,
        output: UnsafeMutablePointer<Float>, argmax: UnsafeMutablePointer<Int32>
    ) {
        let first = layout.row(review: b, step: 0)
        output.update(from: hidden + first * units, count: units)
        for j in 0..<units { argmax[j] = Int32(first) }
        for t in 1..<max(layout.steps[b], 1) {
            let row = layout.row(review: b, step: t)
            let h = hidden + row * units
            for j in 0..<units where h[j] > output[j] {
                output[j] = h[j]
                argmax[j] = Int32(row)
            }
        }
    }

    private static func meanOver(
        hidden: UnsafePointer<Float>, units: Int, review b: Int, layout: BatchLayout,
        output: UnsafeMutablePointer<Float>
    ) {
        output.update(repeating: 0, count: units)
        let steps = layout.steps[b]
        for t in 0..<steps {
            let h = hidden + layout.row(review: b, step: t) * units
            for j in 0..<units { output[j] += h[j] }
        }
        let scale = 1 / Float(steps)
        for j in 0..<units { output[j] *= scale }
    }

    private static func spreadMean(
        _ grad: UnsafePointer<Float>, units: Int, review b: Int, layout: BatchLayout,
        dHidden: UnsafeMutablePointer<Float>
    ) {
        let steps = layout.steps[b]
        let scale = 1 / Float(steps)
        for t in 0..<steps {
            let target = dHidden + layout.row(review: b, step: t) * units
            for j in 0..<units { target[j] += grad[j] * scale }
        }
    }
}
