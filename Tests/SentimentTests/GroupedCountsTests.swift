import Testing

@testable import Sentiment

/// The training transcript and the evaluation table group their counts as the rest of `ondo` does (`12,381`).
/// They printed "training on 12381 reviews … 2434529 parameters, 2188 batches per epoch", "1180/2110 batches  4521
/// reviews/s" and "count 12381".
@Suite struct GroupedCountsTests {
    @Test func theTrainingTranscriptGroupsItsCounts() {
        var reporter = TrainingReporter(interval: 0)
        let started = reporter.line(
            for: .started(
                trainingExamples: 12_381, validationExamples: 1_376, vocabularySize: 20_000, parameters: 2_434_529,
                batchesPerEpoch: 2_188))
        #expect(
            started?.text
                == "training on 12,381 reviews, validating on 1,376; vocabulary 20,000 tokens, 2,434,529 parameters, "
                + "2,188 batches per epoch")
        let progress = TrainingProgress(
            epoch: 2, epochs: 4, batch: 1_180, batches: 2_110, reviews: 6_780, elapsed: 1.5, loss: 0.3, accuracy: 0.85)
        let bar = reporter.line(for: .progress(progress))
        #expect(bar?.text.contains("] 1,180/2,110 batches  4,520 reviews/s  ETA") == true, "\(bar?.text ?? "nil")")
        let record = EpochRecord(
            epoch: 2, trainingLoss: 0.3, trainingAccuracy: 0.85, validationLoss: 0.3, validationAccuracy: 0.86,
            seconds: 3.0, reviewsPerSecond: 4_127.4)
        let epoch = reporter.line(for: .epochFinished(record, best: true))
        #expect(epoch?.text.contains("at 4,127 reviews/s") == true, "\(epoch?.text ?? "nil")")
    }

    @Test func theEvaluationTableGroupsItsCountsAndJSONDoesNot() {
        // 2,700 reviews: 1,600 positive (1,500 scored right), 1,100 negative (1,050 scored right).
        let positive = Array(repeating: true, count: 1_600) + Array(repeating: false, count: 1_100)
        let probabilities: [Float] =
            Array(repeating: 0.9, count: 1_500) + Array(repeating: 0.1, count: 100)
            + Array(repeating: 0.1, count: 1_050) + Array(repeating: 0.9, count: 50)
        let metrics = BinaryMetrics(probabilities: probabilities, positive: positive)
        let report = EvaluationReport(metrics: metrics, model: "m@1", data: "d.tsv", seconds: 0.5)
        let lines = report.table.split(separator: "\n").map(String.init)
        #expect(lines.contains("count       2,700"), "\(report.table)")
        #expect(lines.contains { $0.hasPrefix("scored in") && $0.hasSuffix("(5,400 reviews/s)") }, "\(report.table)")
        #expect(lines.contains("actual positive        1,500           100"), "\(report.table)")
        #expect(lines.contains("actual negative           50         1,050"), "\(report.table)")
        #expect(report.json.contains("\"count\" : 2700"), "\(report.json)")
    }

    /// `sentiment info` prints the parameter count that training printed ("2,434,529 parameters"), grouped the same
    /// way so that the two can be compared by eye; its JSON keeps the plain number.
    @Test func modelInfoGroupsTheParameterCount() throws {
        let model = try TestModels.trainer(epochs: 1).train(TrainingInput(examples: TestModels.examples))
        #expect(model.parameterCount >= 1_000, "too few parameters to show a group: \(model.parameterCount)")
        let info = ModelInfo(model)
        let line = info.text.split(separator: "\n").first { $0.hasPrefix("parameters") }.map(String.init)
        #expect(
            line?.hasPrefix("parameters   \(GroupedNumber.text(model.parameterCount)) (") == true, "\(line ?? "nil")")
        #expect(line?.contains(",") == true, "\(line ?? "nil")")
        #expect(info.json.contains("\"parameters\" : \(model.parameterCount)"), "\(info.json)")
    }

    /// What `train`, `eval` and `sweep` say of each data file: "1200 reviews (600 positive) read as binary; 1001
    /// malformed lines ignored (lines 2, 4, …)" before. Counts are grouped; line numbers, places in the file, are not.
    @Test func theDataSummaryGroupsItsCounts() throws {
        var content = ""
        for i in 1...2_201 { content += i % 2 == 1 ? "\((i / 2) % 2)\t리뷰 \(i)\n" : "x\t깨짐\n" }
        let data = try DatasetReader.parse(content, format: .binary)
        #expect(data.examples.count == 1_101 && data.malformedLines == 1_100)
        #expect(
            data.summary.hasPrefix(
                "1,101 reviews (550 positive) read as binary; 1,100 malformed lines ignored (lines 2, 4, "),
            "\(data.summary)")
    }
}
