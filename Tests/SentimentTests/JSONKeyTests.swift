import Foundation
import Testing

@testable import Sentiment

/// `ondo sentiment info` and `sweep` print their JSON with snake_case keys, like every other `--format json`
/// output of `ondo` (`eval`'s `log_loss`, `customer show`'s `churn_risk`): scripts need not guess the case.
struct JSONKeyTests {
    @Test func modelInfoKeysAreSnakeCaseAtEveryDepth() throws {
        let model = try TestModels.trainer(epochs: 1).train(TrainingInput(examples: TestModels.examples))
        let keys = try Self.keys(of: ModelInfo(model).json)
        #expect(keys.contains("token_unit"))
        #expect(keys.contains("lstm_units"), "the network's keys")
        #expect(keys.contains("best_epoch"), "the training record's keys")
        #expect(keys.contains("validation_accuracy"), "each epoch's keys")
        #expect(keys.filter(Self.hasUppercase).isEmpty, "camelCase keys: \(keys.filter(Self.hasUppercase).sorted())")
    }

    @Test func sweepResultKeysAreSnakeCase() throws {
        let result = Sweep.Result(
            experiment: "units", units: 50, layers: 3, parameters: 1000, validationAccuracy: 0.8,
            evaluationAccuracy: 0.79, seconds: 2, reviewsPerSecond: 100)
        let keys = try Self.keys(of: Sweep.json([result]))
        #expect(
            keys == [
                "experiment", "units", "layers", "parameters", "validation_accuracy", "evaluation_accuracy", "seconds",
                "reviews_per_second",
            ])
    }

    /// `ondo sentiment eval --format json` printed its confusion matrix as `truePositives`, `falseNegatives`, …
    /// beside the snake_case `log_loss` of the same object.
    @Test func evaluationReportKeysAreSnakeCaseAtEveryDepth() throws {
        let metrics = BinaryMetrics(probabilities: [0.9, 0.8, 0.3, 0.2], positive: [true, false, true, false])
        let report = EvaluationReport(metrics: metrics, model: "m@1", data: "data.tsv", seconds: 1)
        let keys = try Self.keys(of: report.json)
        #expect(keys.isSuperset(of: ["true_positives", "false_positives", "true_negatives", "false_negatives"]))
        #expect(keys.contains("log_loss"))
        #expect(keys.filter(Self.hasUppercase).isEmpty, "camelCase keys: \(keys.filter(Self.hasUppercase).sorted())")
    }

    private static func hasUppercase(_ key: String) -> Bool { key.contains { $0.isUppercase } }

    /// Every object key in a JSON document, nested ones included.
    private static func keys(of json: String) throws -> Set<String> {
        var keys = Set<String>()
        func walk(_ value: Any) {
            if let object = value as? [String: Any] {
                for (key, inner) in object {
                    keys.insert(key)
                    walk(inner)
                }
            } else if let array = value as? [Any] {
                array.forEach(walk)
            }
        }
        walk(try JSONSerialization.jsonObject(with: Data(json.utf8)))
        return keys
    }
}
