import Foundation
import TestSupport
import Testing

/// `ondo reviews rescore` as a separate process, its standard error a pipe (as in a log): a progress line every five
/// seconds and the last one of each phase, once.
@Suite struct RescoreProgressOutputTests {
    /// The scoring loop reports its progress after every claim. When the last batch (here the 257th review, after a
    /// batch of 256) ends before the remaining count is due again, it reports the estimate "257/257", and the empty
    /// claim after it reports the count that confirms it, "257/257" again: each report of a finished count forced a
    /// line, so the last line was printed twice ("scoring [####…] 257/257 reviews" in two of three runs, measured;
    /// whether the count is due after the last batch depends on timing). Four runs make a miss unlikely before the
    /// fix; after it, a finished line equal to the one drawn last is never drawn again.
    @Test func eachPhasePrintsItsFinishedLineOnce() async throws {
        let db = try await TestPostgres.shared.freshDatabase("CLIRescoreProgress")
        _ = try await RescoreFixture.shop(db, reviews: 257, customers: 4)
        var environment = db.environment(as: .app)
        environment["ONDO_SENTIMENT_MODEL"] = PipelineHarness.modelPath
        for run in 1...4 {
            // --all: every run re-queues the 257 reviews the run before scored.
            let outcome = try await OndoExecutable.run(["reviews", "rescore", "--all"], environment: environment)
            #expect(outcome.status == 0, "\(outcome.standardError)")
            print("ondo reviews rescore --all, run \(run), standard error:\n\(outcome.standardError)")
            let lines = outcome.standardError.split(separator: "\n").map(String.init)
            for phase in ["re-queueing", "scoring"] {
                let finished = lines.filter { $0.hasPrefix("\(phase) [") && $0.contains("257/257 reviews") }
                #expect(finished.count == 1, "run \(run), \(phase): \(lines)")
            }
        }
    }
}
