import Foundation
import Testing

@testable import Sentiment

/// `TemperatureScaling.fit` against a brute-force search: the temperature it returns must have the least log loss
/// on its data of any temperature tried, however small, large or uninformative the logits.
@Suite struct TemperatureScalingTests {
    /// The mean log loss of `σ(z / t)` against the labels, in double precision.
    static func logLoss(_ logits: [Float], _ positive: [Bool], temperature t: Double) -> Double {
        var sum = 0.0
        for (z, y) in zip(logits, positive) {
            let m = (y ? -1 : 1) * Double(z) / t
            sum += m > 0 ? m + log1p(exp(-m)) : log1p(exp(m))
        }
        return sum / Double(logits.count)
    }

    /// The least log loss over 4,001 temperatures spaced evenly in log T from 10⁻⁶ to the largest `fit` gives
    /// (``TemperatureScaling/flat``), and where it lies.
    static func gridMinimum(_ logits: [Float], _ positive: [Bool]) -> (loss: Double, temperature: Double) {
        var best = (loss: Double.infinity, temperature: 0.0)
        let top = log10(Double(TemperatureScaling.flat))
        for step in 0...4_000 {
            let t = pow(10, -6 + (top + 6) * Double(step) / 4_000)
            let loss = logLoss(logits, positive, temperature: t)
            if loss < best.loss { best = (loss, t) }
        }
        return best
    }

    /// Expects `fit` to do at least as well as every temperature of the grid.
    static func expectGridOptimal(
        _ logits: [Float], _ positive: [Bool], _ label: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let t = TemperatureScaling.fit(logits: logits, positive: positive)
        let fitted = logLoss(logits, positive, temperature: Double(t))
        let grid = gridMinimum(logits, positive)
        #expect(
            fitted <= grid.loss + 1e-9,
            "\(label): fitted T \(t), log loss \(fitted); the grid's best T \(grid.temperature), \(grid.loss)",
            sourceLocation: sourceLocation)
    }

    /// Validation logits of a model that learnt something: labels drawn from σ(z / 1.2), as for a trained model
    /// whose logits are a little too confident.
    static func realisticValidation(count: Int, seed: UInt64) -> (logits: [Float], positive: [Bool]) {
        var generator = SeededGenerator(seed: seed)
        var logits: [Float] = []
        var positive: [Bool] = []
        for _ in 0..<count {
            let z = 4 * generator.normal()
            logits.append(z)
            positive.append(generator.nextUnitFloat() < Activation.sigmoid(z / 1.2))
        }
        return (logits, positive)
    }

    @Test func theFittedTemperatureHasTheLeastLogLoss() {
        let realistic = Self.realisticValidation(count: 2_000, seed: 9)
        Self.expectGridOptimal(realistic.logits, realistic.positive, "trained model")
        // Logits near zero that still say something (7 of 10 right): the best temperature is about 0.0012. The search
        // stopped at its lower bound, 0.05, which left every probability within 0.005 of 0.5 instead of 0.3 / 0.7.
        let tiny: [Float] = (0..<10).map { $0 % 2 == 0 ? 0.001 : -0.001 }
        let tinyLabels = (0..<10).map { ($0 % 2 == 0) == ($0 < 7) }
        Self.expectGridOptimal(tiny, tinyLabels, "logits near zero")
        // Confident logits, right half the time: the loss falls as T grows without end (every probability 0.5 is
        // best). The search stopped at its upper bound, 20, where a logit of 10 is still 0.62.
        let chance: [Float] = [10, 10, -10, -10, 6, 6, -6, -6]
        let chanceLabels = [true, false, true, false, true, false, true, false]
        Self.expectGridOptimal(chance, chanceLabels, "confident at chance")
        // Ten validation reviews of a model trained on 100 reviews (all logits on one side, one far out), as a
        // small training run gave: the least loss really is at a small temperature, about 0.19.
        let small: [Float] = [-1.2173, -0.1837, -0.0658, -0.0591, -0.0588, -0.0587, -0.0482, -0.0459, -0.0339, -0.0289]
        let smallLabels = [false, false, false, false, true, true, false, true, true, true]
        Self.expectGridOptimal(small, smallLabels, "small validation split")
    }

    /// A model that learnt nothing: its calibrated probabilities say nothing either.
    @Test func aChanceLevelModelGetsProbabilitiesNearOneHalf() {
        // Each logit as often right as wrong (an overfitted model on new reviews): every probability near 0.5, yet
        // on its logit's side, as calibration promises, even for a logit near zero.
        let logits: [Float] = [12, 12, -12, -12, 7, 7, -7, -7, 3, 3, -3, -3, 0.01, 0.01, -0.01, -0.01]
        let positive = (0..<16).map { $0 % 2 == 0 }
        let t = TemperatureScaling.fit(logits: logits, positive: positive)
        for z in logits {
            let p = Activation.sigmoid(z / t)
            #expect(abs(p - 0.5) < 0.005, "logit \(z) at T \(t): \(p)")
            #expect((p > 0.5) == (z > 0) && (p < 0.5) == (z < 0), "logit \(z) at T \(t): \(p), on the other side")
        }
        // An untrained network: the same tiny logit for every review, 13 of 25 reviews positive. Only a small
        // temperature brings σ(0.004 / T) to the share of positives, 0.52: a small T here is not a sharp model.
        let untrained = [Float](repeating: 0.004, count: 25)
        let labels = (0..<25).map { $0 < 13 }
        let tUntrained = TemperatureScaling.fit(logits: untrained, positive: labels)
        let p = Activation.sigmoid(0.004 / tUntrained)
        #expect(abs(p - 13.0 / 25) < 1e-3, "T \(tUntrained): \(p)")
    }

    /// A logit of exactly 0 is on neither side: data that is separated but for such ties has no best temperature
    /// either (the loss falls as T → 0, toward log 2 for each tie). The search ran into its lower bound, 0.05.
    @Test func separatedDataWithTiesAtZeroKeepsTheLogitsAsTheyAre() {
        #expect(TemperatureScaling.fit(logits: [2, 0, -1], positive: [true, false, false]) == 1)
        #expect(TemperatureScaling.fit(logits: [0, 0], positive: [true, false]) == 1, "nothing to fit")
    }

    /// `info` printed "calibration  temperature 1000.000" for such a model and left the reader to guess what it meant.
    @Test func infoSaysWhatAFlatTemperatureMeans() {
        let base = TestModels.untrained()
        let flat = SentimentModel(
            name: "flat", tokenizer: base.tokenizer, network: base.network, temperature: TemperatureScaling.flat,
            training: nil)
        #expect(ModelInfo(flat).text.contains("temperature 1000.000 (its scores told the validation reviews apart"))
        #expect(!ModelInfo(base).text.contains("no better than chance"))
    }
}
