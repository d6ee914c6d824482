import Foundation

/// Calibration by temperature: probabilities become `σ(logit / T)`, with the one number `T` chosen
/// to minimise the log loss on held-out data. It never changes which side of 0.5 a review is on.
enum TemperatureScaling {
    /// The temperature of logits that say nothing about the labels of the data it was fitted on: the log
    /// loss is least at T = ∞, every probability 0.5, which a model file cannot hold; and no fitted
    /// temperature is larger. At 1000 a logit of 10 gives 0.5025, and one of 0.001 still lands on its
    /// side of 0.5 in single precision (at 10⁶, logits below about 0.1 gave exactly 0.5, and a small
    /// training run's validation accuracy read 45 % where its logits had 70 % right).
    static let flat: Float = 1000

    /// The temperature that minimises the log loss of `logits` against `positive`.
    ///
    /// In β = 1/T the loss Σ log(1 + e^(−β·m)), with m a logit signed by its label (its margin), is
    /// convex, so its slope rises with β and a bisection on the slope finds the minimum to double
    /// precision, with no lower bound on T and ``flat`` as the upper. (A golden-section search over T in
    /// [0.05, 20] stopped at 0.05 for informative logits near zero, and at 20 for confident logits at
    /// chance.) Two cases have no finite, positive minimum:
    /// - no margin below zero (the logits separate the data, ties at 0 aside): the loss keeps falling
    ///   as T → 0, which would make every later score nearly 0 or 1, so the logits stay as they are,
    ///   T = 1. Small validation sets, as in fine-tuning on a shop's reviews, are often separable;
    /// - margins summing to zero or less (right no more than wrong, weighed by the logits): the loss
    ///   is least at T = ∞, so ``flat``.
    ///
    /// A small T is not a sharp model: an untrained network's logits are near zero, and dividing them
    /// by a small T is how their probabilities reach the share of positives.
    static func fit(logits: [Float], positive: [Bool]) -> Float {
        // A zero margin adds nothing to the slope (and β · 0 is NaN once β overflows).
        let margins = zip(logits, positive).map { z, y in y ? Double(z) : -Double(z) }.filter { $0 != 0 }
        guard margins.contains(where: { $0 < 0 }) else { return 1 }
        guard margins.reduce(0, +) > 0 else { return flat }
        // The slope d/dβ of the loss: Σ −m σ(−β m). Negative at β = 0 (−Σm/2), positive for a β
        // large enough (it tends to Σ|m| over the negative margins).
        func slope(_ beta: Double) -> Double {
            margins.reduce(0) { sum, m in sum - m * logistic(-beta * m) }
        }
        var low = 0.0
        var high = 1.0
        while slope(high) < 0 {
            low = high
            high *= 2
        }
        while true {
            let middle = (low + high) / 2
            guard middle > low && middle < high else { break }
            if slope(middle) < 0 { low = middle } else { high = middle }
        }
        let temperature = 1 / ((low + high) / 2)
        // Positive and normal, as a model file requires, and no flatter than flat.
        return Float(min(max(temperature, Double(Float.leastNormalMagnitude)), Double(flat)))
    }

    /// σ(x) without overflow.
    private static func logistic(_ x: Double) -> Double {
        x >= 0 ? 1 / (1 + Foundation.exp(-x)) : Foundation.exp(x) / (1 + Foundation.exp(x))
    }
}
