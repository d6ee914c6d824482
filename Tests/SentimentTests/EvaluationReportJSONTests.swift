import Foundation
import Testing

@testable import Sentiment

/// `ondo sentiment eval --format json` writes the data file's path as it was given, as `info` and `predict` write
/// theirs: it printed `"data" : "\/tmp\/heldout.tsv"`, valid JSON but not the path a reader greps for.
struct EvaluationReportJSONTests {
    @Test func theDataPathKeepsItsSlashes() throws {
        let metrics = BinaryMetrics(probabilities: [0.9, 0.2], positive: [true, false])
        let report = EvaluationReport(
            metrics: metrics, model: "m@1", data: "../shared/data/nsmc/ratings_test.txt", seconds: 1)
        #expect(report.json.contains(#""data" : "../shared/data/nsmc/ratings_test.txt""#), "\(report.json)")
        let decoded = try JSONSerialization.jsonObject(with: Data(report.json.utf8)) as? [String: Any]
        #expect(decoded?["data"] as? String == "../shared/data/nsmc/ratings_test.txt")
    }
}
