import Foundation

/// The element-wise functions of the network, kept in one place so they can be tuned together.
enum Activation {
    /// The logistic function, written so that it never overflows.
    @inline(__always)
    static func sigmoid(_ x: Float) -> Float {
        if x >= 0 {
            return 1 / (1 + expf(-x))
        }
        let e = expf(x)
        return e / (1 + e)
    }

    /// The hyperbolic tangent.
    @inline(__always)
    static func tanh(_ x: Float) -> Float { tanhf(x) }

    /// `log(1 + exp(x))` without overflow: the binary cross-entropy's building block.
    @inline(__always)
    static func softplus(_ x: Float) -> Float {
        x > 0 ? x + log1pf(expf(-x)) : log1pf(expf(x))
    }
}
