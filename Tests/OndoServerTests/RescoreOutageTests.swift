import Foundation
import Postgres
import TestSupport
import Testing

@testable import OndoServer

/// `ondo reviews rescore` on a database that fails for a few seconds in the middle of the scoring (as during a
/// restart or a failover: the connections drop and new ones are refused). A backfill of hours used to end at the
/// first such error; it now waits the failure out (``FailurePatience``) and finishes, every review scored once.
@Suite struct RescoreOutageTests {
    @Test func aDatabaseThatFailsForAFewSecondsIsWaitedOut() async throws {
        let db = try await TestPostgres.shared.freshDatabase("rescore_outage")
        var configuration = try await RescoreFixture.shop(db, reviews: 12, customers: 2)
        configuration.pipeline.batchSize = 2  // several batches: the outage falls between two of them
        configuration.pipeline.leaseSeconds = 3  // a batch cut off by the outage is claimable again soon
        let operations = try Operations(configuration: configuration, logger: TestPostgres.logger)
        let appUser = try #require(db.userName(.app))

        let outage = LockedBox<String?>(nil)
        let started = ContinuousClock.now
        let outcome = await DatabaseOutage.outcome(within: 90) {
            try await operations.rescore(since: nil, everyReview: false) { progress in
                guard progress.phase == "scoring", outage.mutate({ $0 }) == nil else { return }
                outage.mutate { $0 = DatabaseOutage.begin(db, user: appUser) }
            }
        }
        await operations.close()
        let seconds = started.duration(to: .now) / .seconds(1)

        let (scoreRows, scoredReviews, unfinished) = try await db.withConnection { admin in
            (
                try admin.queryValue(Int.self, "SELECT count(*) FROM crm.review_sentiment"),
                try admin.queryValue(Int.self, "SELECT count(DISTINCT review_id) FROM crm.review_sentiment"),
                try admin.queryValue(Int.self, "SELECT count(*) FROM crm.review_work WHERE status <> 'completed'")
            )
        }
        print(
            "rescore with a 3 s outage: \(outcome.map { "\($0)" } ?? "still running after 90 s") after \(seconds) s; "
                + "outage \(outage.mutate { $0 } ?? "never began"); \(scoreRows) score rows for \(scoredReviews) "
                + "reviews, \(unfinished) unfinished")
        #expect(outage.mutate { $0 } == "began")
        switch outcome {
        case .success(let outcome)?: #expect(outcome.requeued == 12)
        case .failure(let error)?: Issue.record("the rescore failed: \(error)")
        case nil: Issue.record("the rescore was still running after 90 s")
        }
        #expect(scoreRows == 12)
        #expect(scoredReviews == 12)
        #expect(unfinished == 0)
    }

    /// A database that fails for longer than the patience: the command that waits for the re-queued reviews again
    /// is the caller's (`ondo reviews rescore` with the options that reach the database); it was "ondo reviews
    /// rescore without --all" whatever the options.
    @Test func givingUpNamesTheCallersCommandToRunAgain() async throws {
        let db = try await TestPostgres.shared.freshDatabase("rescore_gives_up")
        var configuration = try await RescoreFixture.shop(db, reviews: 6, customers: 2)
        configuration.pipeline.batchSize = 2  // several batches: the outage falls between two of them
        var operations = try Operations(configuration: configuration, logger: TestPostgres.logger)
        operations.failurePatienceSeconds = 1  // shorter than the 3 s outage
        let appUser = try #require(db.userName(.app))
        let outage = LockedBox<String?>(nil)
        let running = operations
        let outcome = await DatabaseOutage.outcome(within: 60) {
            try await running.rescore(since: nil, everyReview: false, rerun: "ondo reviews rescore --embedded") {
                progress in
                guard progress.phase == "scoring", outage.mutate({ $0 }) == nil else { return }
                outage.mutate { $0 = DatabaseOutage.begin(db, user: appUser) }
            }
        }
        await operations.close()
        try await Task.sleep(for: .seconds(3))  // the outage ends before the database is dropped
        #expect(outage.mutate { $0 } == "began")
        guard case .failure(let error as DatabaseKeptFailing)? = outcome else {
            Issue.record("the rescore did not give up: \(String(describing: outcome))")
            return
        }
        #expect(
            error.description.hasSuffix(
                "a running ondo serve scores them, and `ondo reviews rescore --embedded` (without --all) waits for "
                    + "them again"),
            "\(error.description)")
    }
}
