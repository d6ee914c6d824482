/// The output layer: one logit per review, `logit = w · z + b`; the sigmoid is applied by the
/// loss (training) or by the model (prediction).
enum DenseLayer {
    /// `logits[b] = weight · input[b] + bias`.
    static func forward(
        input: UnsafePointer<Float>, count: Int, width: Int, weight: UnsafePointer<Float>, bias: Float,
        logits: UnsafeMutablePointer<Float>
    ) {
        for b in 0..<count {
            let z = input + b * width
            var sum: Float = 0
            for j in 0..<width { sum += weight[j] * z[j] }
            logits[b] = sum + bias
        }
    }

    /// Accumulates the weight and bias gradients and writes the input gradients.
    static func backward(
        input: UnsafePointer<Float>, count: Int, width: Int, weight: UnsafePointer<Float>,
        dLogits: UnsafePointer<Float>, dWeight: UnsafeMutablePointer<Float>, dBias: UnsafeMutablePointer<Float>,
        dInput: UnsafeMutablePointer<Float>
    ) {
        for b in 0..<count {
            let z = input + b * width
            let dz = dInput + b * width
            let g = dLogits[b]
            dBias[0] += g
            for j in 0..<width {
                dWeight[j] += g * z[j]
                dz[j] = g * weight[j]
            }
        }
    }
}
