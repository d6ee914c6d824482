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
}
