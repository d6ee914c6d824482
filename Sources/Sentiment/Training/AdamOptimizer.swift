import Foundation

/// Adam with optional decoupled weight decay (AdamW), over the flat parameter vector.
struct AdamOptimizer {
    let beta1: Float = 0.9
    let beta2: Float = 0.999
    let epsilon: Float = 1e-8
    let weightDecay: Float
    private var firstMoment: [Float]
    private var secondMoment: [Float]
    private(set) var steps = 0

    init(parameterCount: Int, weightDecay: Float) {
        self.weightDecay = weightDecay
        firstMoment = [Float](repeating: 0, count: parameterCount)
        secondMoment = [Float](repeating: 0, count: parameterCount)
    }

    /// One update of `parameters` with `gradients` at step size `learningRate`, the parameter
    /// range split over `workers` threads (element-wise, so the result does not depend on it).
    mutating func step(
        parameters: inout [Float], gradients: UnsafePointer<Float>, learningRate: Float, workers: Int
    ) {
        steps += 1
        let b1 = beta1
        let b2 = beta2
        let eps = epsilon
        let correction1 = 1 - Float(Foundation.pow(Double(b1), Double(steps)))
        let correction2 = 1 - Float(Foundation.pow(Double(b2), Double(steps)))
        let stepSize = learningRate / correction1
        let decay = 1 - learningRate * weightDecay
        let count = parameters.count
        parameters.withUnsafeMutableBufferPointer { p in
            firstMoment.withUnsafeMutableBufferPointer { m in
                secondMoment.withUnsafeMutableBufferPointer { v in
                    let p = SharedPointer(base: p.baseAddress.unsafelyUnwrapped)
                    let m = SharedPointer(base: m.baseAddress.unsafelyUnwrapped)
                    let v = SharedPointer(base: v.baseAddress.unsafelyUnwrapped)
                    let g = SharedPointer(base: UnsafeMutablePointer(mutating: gradients))
                    let chunk = (count + workers - 1) / workers
                    Parallel.run(workers: workers) { worker in
                        let start = worker * chunk
                        let end = min(start + chunk, count)
                        guard start < end else { return }
                        let inverseSqrtCorrection2 = 1 / correction2.squareRoot()
                        for i in start..<end {
                            let gi = g.base[i]
                            let mi = b1 * m.base[i] + (1 - b1) * gi
                            let vi = b2 * v.base[i] + (1 - b2) * gi * gi
                            m.base[i] = mi
                            v.base[i] = vi
                            let denominator = vi.squareRoot() * inverseSqrtCorrection2 + eps
                            p.base[i] = p.base[i] * decay - stepSize * mi / denominator
                        }
                    }
                }
            }
        }
    }
}
