import Foundation

/// The element-wise functions of the network, kept in one place so they can be tuned together.
///
/// The LSTM gates evaluate millions of sigmoids and tanhs per second; libm's `tanhf`/`expf` are
/// scalar calls that the compiler cannot vectorise. ``tanh(_:count:)`` and
/// ``sigmoid(_:count:)`` instead use a branch-free rational approximation of tanh (the one
/// Eigen uses for float: a degree-13/6 odd rational function on [−7.9, 7.9], within a few ulp),
/// which auto-vectorises, and σ(x) = ½ + ½·tanh(x/2).
enum Activation {
    /// The logistic function for one value, accurate in relative terms for any input (used for
    /// the output probability).
    @inline(__always)
    static func sigmoid(_ x: Float) -> Float {
        if x >= 0 {
            return 1 / (1 + expf(-x))
        }
        let e = expf(x)
        return e / (1 + e)
    }

    /// `log(1 + exp(x))` without overflow: the binary cross-entropy's building block.
    @inline(__always)
    static func softplus(_ x: Float) -> Float {
        x > 0 ? x + log1pf(expf(-x)) : log1pf(expf(x))
    }

    /// The hyperbolic tangent by the rational approximation (absolute error below 1e-6).
    @inline(__always)
    static func fastTanh(_ value: Float) -> Float {
        let x = min(max(value, -7.905_311), 7.905_311)
        let x2 = x * x
        var p: Float = -2.760_768_5e-16
        p = p * x2 + 2.000_187_9e-13
        p = p * x2 - 8.604_671_5e-11
        p = p * x2 + 5.122_297_1e-08
        p = p * x2 + 1.485_722_4e-05
        p = p * x2 + 6.372_619_3e-04
        p = p * x2 + 4.893_524_6e-03
        var q: Float = 1.198_258_4e-06
        q = q * x2 + 1.185_347_1e-04
        q = q * x2 + 2.268_434_6e-03
        q = q * x2 + 4.893_525_2e-03
        return x * p / q
    }

    /// The logistic function by way of ``fastTanh(_:)`` (absolute error below 1e-6).
    @inline(__always)
    static func fastSigmoid(_ x: Float) -> Float { 0.5 + 0.5 * fastTanh(0.5 * x) }

    /// Applies tanh in place to `count` values.
    @inline(__always)
    static func tanh(_ values: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { values[i] = fastTanh(values[i]) }
    }

    /// Applies the logistic function in place to `count` values.
    @inline(__always)
    static func sigmoid(_ values: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { values[i] = fastSigmoid(values[i]) }
    }
}
