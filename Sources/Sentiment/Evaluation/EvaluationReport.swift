import Foundation

/// The outcome of evaluating a model on a data file, as the CLI prints it.
public struct EvaluationReport: Codable, Sendable, Equatable {
    /// Confusion matrix counts (positive = the positive class).
    public struct Confusion: Codable, Sendable, Equatable {
        /// Positives predicted positive.
        public var truePositives: Int
        /// Negatives predicted positive.
        public var falsePositives: Int
        /// Negatives predicted negative.
        public var trueNegatives: Int
        /// Positives predicted negative.
        public var falseNegatives: Int

        /// snake_case, like every JSON key `ondo` prints.
        enum CodingKeys: String, CodingKey {
            case truePositives = "true_positives", falsePositives = "false_positives"
            case trueNegatives = "true_negatives", falseNegatives = "false_negatives"
        }
    }

    /// Share classified correctly.
    public var accuracy: Double
    /// Precision of the positive class.
    public var precision: Double
    /// Recall of the positive class.
    public var recall: Double
    /// F1 of the positive class.
    public var f1: Double
    /// Expected calibration error (10 bins).
    public var ece: Double
    /// Mean log loss.
    public var logLoss: Double
    /// Reviews scored.
    public var count: Int
    /// The confusion matrix.
    public var confusion: Confusion
    /// Version id of the model.
    public var model: String
    /// The data file.
    public var data: String
    /// Seconds spent scoring.
    public var seconds: Double

    /// A report from metrics.
    public init(metrics m: BinaryMetrics, model: String, data: String, seconds: Double) {
        accuracy = m.accuracy
        precision = m.precision
        recall = m.recall
        f1 = m.f1
        ece = m.ece
        logLoss = m.logLoss
        count = m.count
        confusion = Confusion(
            truePositives: m.truePositives, falsePositives: m.falsePositives, trueNegatives: m.trueNegatives,
            falseNegatives: m.falseNegatives)
        self.model = model
        self.data = data
        self.seconds = seconds
    }

    enum CodingKeys: String, CodingKey {
        case accuracy, precision, recall, f1, ece, count, confusion, model, data, seconds
        case logLoss = "log_loss"
    }

    /// Pretty-printed JSON with sorted keys; the data file's path as given (`/`, not `\/`, as in every other JSON
    /// output of `ondo`).
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Finite numbers and strings only: encoding cannot fail.
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// A human-readable table, its counts grouped (`12,381`); ``json`` keeps plain numbers.
    public var table: String {
        let c = confusion
        let percent = { (x: Double) in String(format: "%.2f %%", 100 * x) }
        let rows: [(String, String)] = [
            ("model", model), ("data", data), ("count", GroupedNumber.text(count)), ("accuracy", percent(accuracy)),
            ("precision", percent(precision)), ("recall", percent(recall)), ("f1", percent(f1)),
            ("ece", String(format: "%.4f", ece)), ("log loss", String(format: "%.4f", logLoss)),
            (
                "scored in",
                String(format: "%.1f s", seconds)
                    + " (\(GroupedNumber.text(seconds > 0 ? Double(count) / seconds : 0)) reviews/s)"
            ),
        ]
        var lines = rows.map { $0.0.padding(toLength: 10, withPad: " ", startingAt: 0) + "  " + $0.1 }
        lines.append("")
        lines.append("                 predicted +   predicted -")
        lines.append("actual positive  " + pad(c.truePositives) + "   " + pad(c.falseNegatives))
        lines.append("actual negative  " + pad(c.falsePositives) + "   " + pad(c.trueNegatives))
        return lines.joined(separator: "\n")
    }

    private func pad(_ n: Int) -> String {
        let s = GroupedNumber.text(n)
        return String(repeating: " ", count: max(0, 11 - s.count)) + s
    }
}
