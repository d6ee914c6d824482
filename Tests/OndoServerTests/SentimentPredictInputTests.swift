import Foundation
import TestSupport
import Testing

/// `ondo sentiment predict` scores only lines with text, and says so when it skips or has nothing to score.
@Suite struct SentimentPredictInputTests {
    private let model = PipelineHarness.modelPath

    @Test func blankLinesAreSkippedAndReportedNotScored() async throws {
        let outcome = try await OndoExecutable.run(
            ["sentiment", "predict", "--model", model, "--format", "tsv"], input: "좋아요\n\n   \r\n별로예요\n")
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let rows = outcome.standardOutput.split(separator: "\n")
        #expect(rows.count == 2, "\(outcome.standardOutput)")
        #expect(rows.allSatisfy { !$0.hasSuffix("\t") }, "a blank line was scored: \(outcome.standardOutput)")
        #expect(outcome.standardError.contains("2 blank lines"), "\(outcome.standardError)")
        #expect(outcome.standardError.contains("2, 3"), "\(outcome.standardError)")
    }

    @Test func nothingToScoreIsAnError() async throws {
        for input in ["", "\n \n"] {
            let outcome = try await OndoExecutable.run(["sentiment", "predict", "--model", model], input: input)
            #expect(outcome.status == 1, "input \(input.debugDescription): \(outcome.standardOutput)")
            #expect(outcome.standardOutput.isEmpty, "\(outcome.standardOutput.debugDescription)")
            #expect(outcome.standardError.contains("no review to score"), "\(outcome.standardError)")
        }
        let blankArgument = try await OndoExecutable.run(["sentiment", "predict", "--model", model, " "])
        #expect(blankArgument.status == 1, "\(blankArgument.standardOutput)")
    }

    /// Lines piped in are scored and printed as they arrive, not after the input ends: a producer that writes a review
    /// and waits gets its score while stdin is still open. The whole input was read before anything was scored, so
    /// memory grew with the input (100,000 lines: nothing printed for 12 s).
    @Test(arguments: ["tsv", "table", "json"])
    func linesAreScoredAsTheyArrive(format: String) async throws {
        let process = try OndoProcess.start(
            ["sentiment", "predict", "--model", model, "--format", format], standardInputOpen: true)
        try process.writeToStandardInput("좋아요 최고\n")
        let deadline = ContinuousClock.now + .seconds(60)
        while !process.output().standardOutput.contains("좋아요 최고") {
            #expect(process.isRunning, "it ended with stdin open: \(process.output())")
            guard process.isRunning, ContinuousClock.now < deadline else { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(
            process.output().standardOutput.contains("좋아요 최고"), "the first line was not printed before the input ended")
        try process.writeToStandardInput("별로예요\n\n마지막")
        try process.closeStandardInput()
        let outcome = try await process.waitForExit(seconds: 60)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect(outcome.standardError.contains("skipped 1 blank line (3)"), "\(outcome.standardError)")
        let texts = ["좋아요 최고", "별로예요", "마지막"]
        if format == "json" {
            let object = try JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any]
            let predictions = object?["predictions"] as? [[String: Any]]
            #expect(predictions?.map { $0["text"] as? String } == texts, "\(outcome.standardOutput)")
        } else {
            let rows = outcome.standardOutput.split(separator: "\n")
            #expect(rows.count == 3 && zip(rows, texts).allSatisfy { $0.hasSuffix($1) }, "\(outcome.standardOutput)")
        }
    }
}
