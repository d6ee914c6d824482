import Foundation

/// Calibration by temperature: probabilities become `σ(logit / T)`, with the one number `T` chosen
/// to minimise the log loss on held-out data. It never changes which side of 0.5 a review is on.
enum TemperatureScaling {
    /// The temperature in [0.05, 20] that minimises the log loss of `logits` against `positive`
    /// (golden-section search on log T; the loss is unimodal in T). Data that the logits separate
    /// perfectly has no optimum (the loss keeps falling as T → 0, which would make every later
    /// score nearly 0 or 1), so it leaves the logits as they are: T = 1. Small validation sets, as
    /// in fine-tuning on a shop's reviews, are often separable.
    static func fit(logits: [Float], positive: [Bool]) -> Float {
        guard !logits.isEmpty else { return 1 }
        if zip(logits, positive).allSatisfy({ z, y in y ? z > 0 : z < 0 }) { return 1 }
        func loss(_ logT: Double) -> Double {
            let t = Foundation.exp(logT)
            var sum = 0.0
            for (z, y) in zip(logits, positive) {
                let s = Double(z) / t
                // −log σ(s) for positives, −log(1 − σ(s)) = −log σ(−s) for negatives.
                let m = y ? -s : s
                sum += m > 0 ? m + Foundation.log1p(Foundation.exp(-m)) : Foundation.log1p(Foundation.exp(m))
            }
            return sum
        }
        var low = Foundation.log(0.05)
        var high = Foundation.log(20.0)
        let ratio = (5.0.squareRoot() - 1) / 2
        var a = high - ratio * (high - low)
        var b = low + ratio * (high - low)
        var fa = loss(a)
        var fb = loss(b)
        for _ in 0..<60 {
            if fa < fb {
                high = b
                b = a
                fb = fa
                a = high - ratio * (high - low)
                fa = loss(a)
            } else {
                low = a
                a = b
                fa = fb
                b = low + ratio * (high - low)
                fb = loss(b)
            }
        }
        return Float(Foundation.exp((low + high) / 2))
    }
}
