import Testing

@testable import Sentiment

@Suite struct MetricsTests {
    @Test func countsAndRatios() {
        let m = BinaryMetrics(probabilities: [0.9, 0.8, 0.3, 0.2, 0.6], positive: [true, false, true, false, true])
        #expect(m.truePositives == 2 && m.falsePositives == 1 && m.trueNegatives == 1 && m.falseNegatives == 1)
        #expect(abs(m.accuracy - 0.6) < 1e-12)
        #expect(abs(m.precision - 2.0 / 3) < 1e-12)
        #expect(abs(m.recall - 2.0 / 3) < 1e-12)
        #expect(abs(m.f1 - 2.0 / 3) < 1e-12)
    }

    @Test func calibrationErrorOfAPerfectlyCalibratedAndAnOverconfidentModel() {
        // Confidence 0.75 in one bin, right 3 times out of 4: calibrated.
        let calibrated = BinaryMetrics(probabilities: [0.75, 0.75, 0.75, 0.75], positive: [true, true, true, false])
        #expect(calibrated.ece < 1e-9)
        // Confidence 0.99, right half the time: a gap of 0.49.
        let overconfident = BinaryMetrics(probabilities: [0.99, 0.99], positive: [true, false])
        #expect(abs(overconfident.ece - 0.49) < 1e-6)
    }

    @Test func temperatureScalingRecoversTheTrueTemperature() {
        // Labels drawn from σ(z / 2): the fitted temperature should be close to 2.
        var generator = SeededGenerator(seed: 4)
        var logits: [Float] = []
        var labels: [Bool] = []
        for _ in 0..<20_000 {
            let z = generator.uniform(8)
            logits.append(z)
            labels.append(generator.nextUnitFloat() < Activation.sigmoid(z / 2))
        }
        let t = TemperatureScaling.fit(logits: logits, positive: labels)
        #expect(abs(t - 2) < 0.15, "fitted \(t)")
    }

    @Test func perfectlySeparatedDataKeepsTheLogitsAsTheyAre() {
        // Every logit on its label's side: the log loss falls without end as T → 0, so no
        // temperature is fitted (an unguarded search ran into its lower bound, 0.05).
        let t = TemperatureScaling.fit(logits: [2.5, 0.3, -0.4, -3], positive: [true, true, false, false])
        #expect(t == 1)
        let oneWrong = TemperatureScaling.fit(logits: [2.5, 0.3, -0.4, 3], positive: [true, true, false, false])
        #expect(oneWrong > 1, "fitted \(oneWrong)")
    }

    @Test func reportHasTheRequiredJSONKeys() {
        let m = BinaryMetrics(probabilities: [0.9, 0.2], positive: [true, false])
        let json = EvaluationReport(metrics: m, model: "m", data: "d", seconds: 1).json
        for key in ["accuracy", "precision", "recall", "f1", "ece", "count"] { #expect(json.contains("\"\(key)\"")) }
    }

    @Test func fastActivationsAreAccurate() {
        var x: Float = -12
        while x <= 12 {
            #expect(abs(Activation.fastTanh(x) - tanhf(x)) < 2e-6)
            #expect(abs(Activation.fastSigmoid(x) - Activation.sigmoid(x)) < 2e-6)
            x += 0.01
        }
    }
}

import Foundation
