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

    /// `--since 2062-11-01` (for 2026) re-queued no review the shop had written, and the command ended "re-queued 0
    /// reviews", status 0, as if there were nothing to score. It says on standard error that the date lies ahead.
    @Test func aSinceInTheFutureIsPointedOut() async throws {
        let db = try await TestPostgres.shared.freshDatabase("CLIRescoreFutureSince")
        _ = try await RescoreFixture.shop(db, reviews: 3, customers: 1)
        var environment = db.environment(as: .app)
        environment["ONDO_SENTIMENT_MODEL"] = PipelineHarness.modelPath
        let ahead = try await OndoExecutable.run(
            ["reviews", "rescore", "--since", "9999-01-01"], environment: environment)
        #expect(ahead.status == 0, "\(ahead.standardError)")
        #expect(ahead.standardOutput == "re-queued 0 reviews\n", "\(ahead.standardOutput)")
        let note = "--since 9999-01-01 is in the future: only reviews dated after it are re-queued"
        #expect(ahead.standardError.contains(note), "\(ahead.standardError)")
        let past = try await OndoExecutable.run(
            ["reviews", "rescore", "--since", "2020-01-01"], environment: environment)
        #expect(past.standardOutput == "re-queued 3 reviews and scored them\n", "\(past.standardOutput)")
        #expect(!past.standardError.contains("in the future"), "\(past.standardError)")
    }
}
