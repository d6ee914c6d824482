import Foundation
import Postgres
import TestSupport
import Testing

extension PipelineTests {
    /// A batch whose write fails for good (the database went away mid-batch for longer than the write's retries
    /// last) used to keep its rows leased until the lease expired; the worker now ends that lease once the database
    /// answers again, so the reviews are scored seconds after the outage instead of a lease later.
    @Suite struct FailedBatchLease {
        @Test func aBatchCutOffByAnOutageIsTakenAgainWithoutWaitingForItsLease() async throws {
            // A lease much longer than the outage: work that waited for it would still be leased at the deadline.
            let harness = try await PipelineHarness.make("failed_batch_lease", pipeline: ["leaseSeconds": 60])
            try await harness.addCustomers(1...3)
            let gate = try TestFiles.path("ondo-hold-gate")
            let server = try harness.startServer(failPoints: "worker.hold_after_score_until_file=\(gate)", workers: 1)
            _ = try await harness.httpPort(of: server)
            try await harness.addReviews(firstId: 1, count: 6, customers: 1...3)
            try await harness.waitUntil("the worker holds the reviews", timeout: 30) { connection in
                try connection.queryValue(
                    Int.self, "SELECT count(*) FROM crm.review_work WHERE status = 'processing'") == 6
            }

            // The database goes away for 3 s, longer than the write's retries (about 1.75 s); the worker writes
            // into it.
            let appUser = try #require(harness.db.userName(.app))
            let outageBegan = Date()
            #expect(DatabaseOutage.begin(harness.db, user: appUser) == "began")
            #expect(FileManager.default.createFile(atPath: gate, contents: nil))
            try await harness.waitUntil("the batch's write failed", timeout: 30) { _ in
                server.output().standardError.contains("worker iteration failed")
            }
            try await harness.waitForAllReviewsProcessed(timeout: 30)
            let seconds = Date().timeIntervalSince(outageBegan)
            let ended = server.output().standardError.contains("a failed batch's lease ended")
            let lastErrors = try await harness.db.withConnection { connection in
                try connection.queryValue(Int.self, "SELECT count(*) FROM crm.review_work WHERE last_error IS NOT NULL")
            }
            let invariants = try await harness.invariants()
            print(
                String(
                    format: "failed batch: all 6 reviews done %.1f s after a 3 s outage began (lease 60 s); %@",
                    seconds, invariants.description))
            invariants.expectNoLossNoDuplicate()
            #expect(ended, "the worker ended the failed batch's lease")
            #expect(invariants.mostAttempts == 2, "the failed attempt is counted")
            #expect(lastErrors == 0, "completed work keeps no error")
            #expect(seconds < 30, "well before the 60 s lease expired")
            try await server.stop()
        }
    }
}
