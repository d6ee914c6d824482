import Foundation

/// How well probabilities match labels: counts, accuracy, precision, recall, F1 (positive class),
/// log loss and expected calibration error.
public struct BinaryMetrics: Codable, Sendable, Equatable {
    /// Reviews scored.
    public var count: Int
    /// Positive reviews predicted positive.
    public var truePositives: Int
    /// Negative reviews predicted positive.
    public var falsePositives: Int
    /// Negative reviews predicted negative.
    public var trueNegatives: Int
    /// Positive reviews predicted negative.
    public var falseNegatives: Int
    /// Mean binary cross-entropy of the probabilities.
    public var logLoss: Double
    /// Expected calibration error: the count-weighted mean gap between confidence and accuracy
    /// over ``calibrationBins`` equal-width confidence bins.
    public var ece: Double

    /// Number of confidence bins of ``ece``.
    public static let calibrationBins = 10

    /// Share of reviews classified correctly.
    public var accuracy: Double { count == 0 ? 0 : Double(truePositives + trueNegatives) / Double(count) }
    /// Share of positive predictions that are right.
    public var precision: Double { ratio(truePositives, truePositives + falsePositives) }
    /// Share of positive reviews found.
    public var recall: Double { ratio(truePositives, truePositives + falseNegatives) }
    /// Harmonic mean of precision and recall.
    public var f1: Double { precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall) }

    /// The metrics of `probabilities` (of the positive class) against `positive`; a probability of
    /// at least `threshold` counts as a positive prediction.
    public init(probabilities: [Float], positive: [Bool], threshold: Float = 0.5) {
        precondition(probabilities.count == positive.count, "one label per probability")
        count = probabilities.count
        var tp = 0
        var fp = 0
        var tn = 0
        var fn = 0
        var loss = 0.0
        var binCount = [Int](repeating: 0, count: Self.calibrationBins)
        var binConfidence = [Double](repeating: 0, count: Self.calibrationBins)
        var binCorrect = [Double](repeating: 0, count: Self.calibrationBins)
        for (p, isPositive) in zip(probabilities, positive) {
            let predicted = p >= threshold
            switch (predicted, isPositive) {
            case (true, true): tp += 1
            case (true, false): fp += 1
            case (false, false): tn += 1
            case (false, true): fn += 1
            }
            let q = min(max(Double(p), 1e-7), 1 - 1e-7)
            loss -= isPositive ? Foundation.log(q) : Foundation.log(1 - q)
            let confidence = predicted ? Double(p) : 1 - Double(p)
            let bin = min(Int(confidence * Double(Self.calibrationBins)), Self.calibrationBins - 1)
            binCount[bin] += 1
            binConfidence[bin] += confidence
            binCorrect[bin] += predicted == isPositive ? 1 : 0
        }
        truePositives = tp
        falsePositives = fp
        trueNegatives = tn
        falseNegatives = fn
        logLoss = count == 0 ? 0 : loss / Double(count)
        var gap = 0.0
        for bin in 0..<Self.calibrationBins where binCount[bin] > 0 {
            gap += abs(binConfidence[bin] - binCorrect[bin])
        }
        ece = count == 0 ? 0 : gap / Double(count)
    }

    private func ratio(_ numerator: Int, _ denominator: Int) -> Double {
        denominator == 0 ? 0 : Double(numerator) / Double(denominator)
    }
}
