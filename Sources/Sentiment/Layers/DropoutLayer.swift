/// Inverted dropout: during training each value is zeroed with probability `rate` and the
/// survivors are scaled by `1 / (1 − rate)`, so prediction needs no rescaling.
enum DropoutLayer {
    /// Draws a mask of `count` factors (0 or `1 / (1 − rate)`) and applies it to `values`.
    static func forward(
        values: UnsafeMutablePointer<Float>, count: Int, rate: Float, mask: UnsafeMutablePointer<Float>,
        generator: inout SeededGenerator
    ) {
        let keep = 1 / (1 - rate)
        for i in 0..<count {
            let factor: Float = generator.nextUnitFloat() < rate ? 0 : keep
            mask[i] = factor
            values[i] *= factor
        }
    }

    /// Applies the same mask to the gradient.
    static func backward(gradient: UnsafeMutablePointer<Float>, count: Int, mask: UnsafePointer<Float>) {
        for i in 0..<count { gradient[i] *= mask[i] }
    }
}
