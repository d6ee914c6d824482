import Foundation
import Postgres
import TestSupport
import Testing

extension PipelineTests {
    /// RELIABILITY.md's faults: each checks "no loss, no duplicate" by counting rows.
    @Suite struct Faults {
        @Test func killingWorkersMidBatchLosesAndDuplicatesNothing() async throws {  // F1
            let harness = try await PipelineHarness.make("sigkill", pipeline: ["leaseSeconds": 2])
            try await harness.addCustomers(1...30)
            // Each batch takes a while after scoring, so kills land mid-batch.
            var servers = [
                try harness.startServer(failPoints: "worker.pause_after_score=0.3"),
                try harness.startServer(failPoints: "worker.pause_after_score=0.3"),
            ]
            try await harness.addReviews(firstId: 1, count: 400, customers: 1...30)
            var kills = 0
            for round in 0..<4 {
                try await Task.sleep(for: .milliseconds(900))
                let victim = round % 2
                servers[victim].signal(SIGKILL)
                _ = try await servers[victim].waitForExit()
                kills += 1
                servers[victim] = try harness.startServer(failPoints: "worker.pause_after_score=0.3")
            }
            let killedAt = Date()
            try await harness.waitForAllReviewsProcessed(timeout: 120)
            let invariants = try await harness.invariants()
            print(
                String(
                    format: "F1 SIGKILL: %d kills; all done %.1f s after the last; %@", kills,
                    Date().timeIntervalSince(killedAt), invariants.description))
            invariants.expectNoLossNoDuplicate()
            #expect(invariants.retried > 0, "some killed work was re-run")
            for server in servers { server.signal(SIGTERM) }
            for server in servers { _ = try await server.waitForExit() }
        }

        @Test func aStaleWorkerResumingAfterItsLeaseChangesNothing() async throws {  // F3
            let harness = try await PipelineHarness.make("stale_lease", pipeline: ["leaseSeconds": 1])
            try await harness.addCustomers(1...1)
            // The stale worker holds its scored batch until the gate exists, created only once it is stopped and
            // its review completed by another: a slow machine cannot let it write before it is stopped.
            let gate = try TestFiles.path("ondo-hold-gate")
            let stale = try harness.startServer(failPoints: "worker.hold_after_score_until_file=\(gate)", workers: 1)
            _ = try await harness.httpPort(of: stale)
            try await harness.addReview(id: 1, customer: 1, rating: 1, body: "배송이 너무 늦고 포장도 엉망이에요")
            try await harness.waitUntil("the stale worker claimed the review", timeout: 20) { connection in
                try connection.queryValue(String.self, "SELECT status FROM crm.review_work WHERE review_id = 1")
                    == "processing"
            }
            stale.signal(SIGSTOP)
            let other = try harness.startServer(workers: 1)
            try await harness.waitUntil("another worker completed it", timeout: 30) { connection in
                try connection.queryValue(String.self, "SELECT status FROM crm.review_work WHERE review_id = 1")
                    == "completed"
            }
            let historyBefore = try await harness.db.withConnection {
                try $0.queryValue(Int.self, "SELECT count(*) FROM crm.customer_state_history")
            }
            let scoredAt = try await harness.db.withConnection {
                try $0.queryValue(Date.self, "SELECT scored_at FROM crm.review_sentiment WHERE review_id = 1")
            }
            #expect(FileManager.default.createFile(atPath: gate, contents: nil))
            stale.signal(SIGCONT)
            try await harness.waitUntil("the stale worker noticed its lost lease", timeout: 20) { _ in
                stale.output().standardError.contains("lease lost")
            }
            let invariants = try await harness.invariants()
            let historyAfter = try await harness.db.withConnection {
                try $0.queryValue(Int.self, "SELECT count(*) FROM crm.customer_state_history")
            }
            let scoredAfter = try await harness.db.withConnection {
                try $0.queryValue(Date.self, "SELECT scored_at FROM crm.review_sentiment WHERE review_id = 1")
            }
            print(
                "F3 stale lease: attempts \(invariants.mostAttempts), history rows \(historyBefore) → \(historyAfter)")
            invariants.expectNoLossNoDuplicate()
            #expect(invariants.mostAttempts == 2)
            #expect(historyAfter == historyBefore)
            #expect(scoredAfter == scoredAt)
            for server in [stale, other] { server.signal(SIGTERM) }
            for server in [stale, other] { _ = try await server.waitForExit() }
        }

        @Test func killingOnlyTheListenConnectionTriggersACatchUp() async throws {  // F6
            // A long poll interval: only NOTIFY (or the catch-up after re-LISTEN) wakes the workers quickly.
            let harness = try await PipelineHarness.make("listen_killed", pipeline: ["pollIntervalSeconds": 60])
            try await harness.addCustomers(1...5)
            let server = try harness.startServer(workers: 1)
            _ = try await harness.httpPort(of: server)
            try await harness.addReview(id: 1, customer: 1, rating: 5, body: "재구매 의사 있어요 최고")
            try await harness.waitForAllReviewsProcessed(timeout: 20)
            var killed = 0
            for round in 0..<3 {
                // The listener reconnects by itself after the previous round's kill; on a loaded machine that can
                // take longer than the round's reviews, and a kill before it is back finds nothing to kill.
                let deadline = Date().addingTimeInterval(20)
                var killedThisRound = 0
                while killedThisRound == 0 && Date() < deadline {
                    killedThisRound = try await harness.db.withConnection { connection in
                        try connection.queryValue(
                            Int.self,
                            """
                            SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                            WHERE datname = current_database() AND query ILIKE 'LISTEN%') AS t
                            """)
                    }
                    if killedThisRound == 0 { try await Task.sleep(for: .milliseconds(50)) }
                }
                #expect(killedThisRound == 1, "round \(round): no LISTEN connection to kill within 20 s")
                killed += killedThisRound
                try await harness.addReviews(firstId: Int64(100 * (round + 1)), count: 10, customers: 1...5)
                let started = Date()
                try await harness.waitForAllReviewsProcessed(timeout: 30)
                print(
                    String(
                        format: "F6 round %d: processed %.2f s after the LISTEN connection was killed", round,
                        Date().timeIntervalSince(started)))
            }
            #expect(killed >= 3)
            #expect(server.output().standardError.contains("notification listener reconnected"))
            (try await harness.invariants()).expectNoLossNoDuplicate()
            try await server.stop()
        }

        @Test func terminatingOndosConnectionsRepeatedlyNeitherCrashesNorLoses() async throws {  // F5
            let harness = try await PipelineHarness.make("terminate_backends")
            try await harness.addCustomers(1...10)
            let server = try harness.startServer(failPoints: "worker.pause_after_score=0.05")
            _ = try await harness.httpPort(of: server)
            var terminated = 0
            for round in 0..<6 {
                try await harness.addReviews(firstId: Int64(1 + round * 50), count: 50, customers: 1...10)
                try await Task.sleep(for: .milliseconds(150))
                terminated += try await harness.db.withConnection { connection in
                    try connection.queryValue(
                        Int.self,
                        """
                        SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                        WHERE datname = current_database() AND application_name = 'ondo') AS t
                        """)
                }
            }
            try await harness.waitForAllReviewsProcessed()
            let invariants = try await harness.invariants()
            print("F5 pg_terminate_backend: \(terminated) backends terminated over 6 rounds; \(invariants)")
            #expect(terminated >= 6)
            #expect(server.isRunning)
            invariants.expectNoLossNoDuplicate()
            #expect(try await server.stop().status == 0)
        }

        @Test func sigtermStopsClaimingFinishesInFlightWorkAndExitsZero() async throws {  // F7
            let harness = try await PipelineHarness.make("sigterm", pipeline: ["batchSize": 8])
            try await harness.addCustomers(1...10)
            let server = try harness.startServer(failPoints: "worker.pause_after_score=1")
            _ = try await harness.httpPort(of: server)  // started: the wait below is for a batch, not for start-up
            try await harness.addReviews(firstId: 1, count: 200, customers: 1...10)
            try await harness.waitUntil("a batch is in flight", timeout: 20) { connection in
                try connection.queryValue(Int.self, "SELECT count(*) FROM crm.review_work WHERE status = 'processing'")
                    > 0
            }
            let signalled = Date()
            server.signal(SIGTERM)
            let outcome = try await server.waitForExit(seconds: 20)
            let stopSeconds = Date().timeIntervalSince(signalled)
            let left = try await harness.db.withConnection { connection in
                (
                    try connection.queryValue(
                        Int.self, "SELECT count(*) FROM crm.review_work WHERE status = 'processing'"),
                    try connection.queryValue(
                        Int.self, "SELECT count(*) FROM crm.review_work WHERE status = 'completed'")
                )
            }
            print(
                String(
                    format: "F7 SIGTERM: exit %d after %.2f s; %d in flight left, %d of 200 completed", outcome.status,
                    stopSeconds, left.0, left.1))
            #expect(outcome.status == 0)
            #expect(left.0 == 0, "in-flight work finished before exit")
            #expect(left.1 < 200, "claiming stopped: the rest waits for the next server")
            let next = try harness.startServer()
            try await harness.waitForAllReviewsProcessed()
            (try await harness.invariants()).expectNoLossNoDuplicate()
            try await next.stop()
        }

        @Test(arguments: ["score.poison=독약", "apply.poison=독약"])
        func aPoisonReviewIsDiscardedAfterItsAttemptsWithoutBlockingOthers(failPoint: String) async throws {  // F10
            let harness = try await PipelineHarness.make("poison")
            try await harness.addCustomers(1...5)
            let server = try harness.startServer(failPoints: failPoint)
            try await harness.addReview(id: 1, customer: 1, rating: 1, body: "이건 독약 같은 리뷰")
            try await harness.addReviews(firstId: 10, count: 30, customers: 1...5)
            try await harness.waitForAllReviewsProcessed()
            let poison = try await harness.db.withConnection { connection in
                try connection.query("SELECT status, attempts, last_error FROM crm.review_work WHERE review_id = 1")[0]
            }
            let status = try poison.decode(String.self, "status")
            let attempts = try poison.decode(Int.self, "attempts")
            let error = try poison.decode(String?.self, "last_error") ?? ""
            print("F10 poison (\(failPoint)): \(status) after \(attempts) attempts: \(error)")
            #expect(status == "discarded")
            #expect(attempts == 3)
            #expect(error.contains("poison"))
            let invariants = try await harness.invariants()
            invariants.expectNoLossNoDuplicate(discardedAllowed: 1)
            #expect(invariants.completed == 30)
            let reported = try await harness.db.withConnection(as: .report) {
                try $0.queryValue(Int.self, "SELECT count(*) FROM report.discarded_reviews")
            }
            #expect(reported == 1)
            let retry = try await OndoExecutable.run(
                ["reviews", "retry", "--id", "1"], environment: harness.db.environment(as: .app))
            #expect(retry.standardOutput.contains("re-queued 1 discarded review"))
            try await server.stop()
        }

        /// Attempts a review spent waiting for its customer do not count against retry.maximumAttempts once the
        /// customer arrives (migration 0022): before, the attempt spent waiting was counted, so the first genuine
        /// failure after the customer's insert was attempt 2 (and with maximumAttempts 2, it discarded the review).
        /// (unknownReferenceAttempts 2 against maximumAttempts 3: at or above the maximum is refused since.)
        @Test func attemptsSpentWaitingForTheCustomerDoNotShortenItsRetries() async throws {
            let harness = try await PipelineHarness.make(
                "waiting_attempts",
                pipeline: [
                    "unknownReferenceAttempts": 2,
                    "retry": ["maximumAttempts": 3, "initialDelaySeconds": 3, "maximumDelaySeconds": 3]
                        as [String: any Sendable],
                ])
            try await harness.addCustomers(1...1)
            let server = try harness.startServer(failPoints: "score.poison=독약")
            try await harness.addReview(id: 1, customer: 2, rating: 1, body: "이건 독약 같은 리뷰")
            try await harness.waitUntil("the review backs off, waiting for customer 2") { connection in
                try connection.query(
                    """
                    SELECT 1 FROM crm.review_work
                    WHERE review_id = 1 AND status = 'pending' AND attempts = 1 AND last_error LIKE 'waiting for%'
                    """
                ).count == 1
            }
            try await harness.addCustomers(2...2)
            try await harness.waitUntil("scoring the review failed once", timeout: 20) { connection in
                try connection.query("SELECT 1 FROM crm.review_work WHERE review_id = 1 AND last_error LIKE '%poison%'")
                    .count == 1
            }
            let firstFailure = try await harness.db.withConnection { connection in
                let row = try connection.query("SELECT status, attempts FROM crm.review_work WHERE review_id = 1")[0]
                return "\(try row.decode(String.self, "status")) after \(try row.decode(Int.self, "attempts"))"
            }
            #expect(firstFailure == "pending after 1", "retried: one genuine attempt of three")
            try await harness.waitUntil("the review is discarded after its third genuine attempt", timeout: 30) {
                connection in
                try connection.query(
                    "SELECT 1 FROM crm.review_work WHERE review_id = 1 AND status = 'discarded' AND attempts = 3"
                ).count == 1
            }
            try await server.stop()
        }

        @Test func aCrashAfterScoringBeforeCommitIsRetriedOnce() async throws {  // F2
            let harness = try await PipelineHarness.make("crash_before_commit", pipeline: ["leaseSeconds": 1])
            try await harness.addCustomers(1...2)
            let crashing = try harness.startServer(failPoints: "worker.exit_after_score=1", workers: 1)
            try await harness.addReviews(firstId: 1, count: 5, customers: 1...2)
            let outcome = try await crashing.waitForExit(seconds: 30)
            #expect(outcome.status == 86)
            let server = try harness.startServer()
            try await harness.waitForAllReviewsProcessed()
            let invariants = try await harness.invariants()
            print("F2 crash before commit: \(invariants)")
            invariants.expectNoLossNoDuplicate()
            #expect(invariants.mostAttempts == 2, "the crashed attempt shows in the attempt count")
            try await server.stop()
        }
    }
}
