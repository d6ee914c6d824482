import Foundation
import Postgres
import TestSupport
import Testing

extension PipelineTests {
    /// A graceful shutdown cut short (F7's other half): by a second SIGTERM, or by `pipeline.shutdownTimeoutSeconds`.
    /// F7 itself (one SIGTERM, the batch finishes in time, exit 0) is `sigtermStopsClaimingFinishesInFlightWorkAndExitsZero`.
    @Suite struct ShutdownLimit {
        /// The lines logged at error or critical level (swift-log's stream format: time, level, label, message).
        static func errorLines(_ log: String) -> [Substring] {
            log.split(separator: "\n").filter { line in
                let fields = line.split(separator: " ", maxSplits: 2)
                return fields.count > 1 && (fields[1] == "error" || fields[1] == "critical")
            }
        }

        enum Stop: String, CustomTestStringConvertible, CaseIterable {
            case secondSignal, timeLimit
            var testDescription: String { rawValue }
        }

        /// A batch stuck after scoring (for a minute, longer than any test waits) must not hold the exit: the process
        /// exits 143 (128 + SIGTERM), the review goes back to the queue untried, and a second server processes it
        /// once, long before its 60 s lease would have expired and the sweeper returned it.
        @Test(arguments: Stop.allCases)
        func aShutdownCutShortGivesTheBatchInHandBackAndExits143(_ stop: Stop) async throws {
            let harness = try await PipelineHarness.make(
                "shutdown_\(stop.rawValue)",
                pipeline: ["leaseSeconds": 60, "shutdownTimeoutSeconds": stop == .timeLimit ? 1 : 600])
            try await harness.addCustomers(1...3)
            let server = try harness.startServer(failPoints: "worker.pause_after_score=60", workers: 1)
            _ = try await harness.httpPort(of: server)
            try await harness.addReview(id: 1, customer: 1, rating: 2, body: "배송이 너무 늦어요")
            try await harness.waitUntil("the review is claimed", timeout: 20) { connection in
                try connection.queryValue(
                    Int.self, "SELECT count(*) FROM crm.review_work WHERE review_id = 1 AND status = 'processing'") == 1
            }
            let leaseExpiry = try await harness.db.withConnection { connection in
                try connection.queryValue(Date.self, "SELECT lease_expires_at FROM crm.review_work WHERE review_id = 1")
            }

            let signalled = Date()
            server.signal(SIGTERM)
            if stop == .secondSignal {
                // Two signals sent at once may arrive as one: send the second once the first is handled.
                let deadline = Date().addingTimeInterval(10)
                while !server.output().standardError.contains("shutting down"), Date() < deadline {
                    try await Task.sleep(for: .milliseconds(20))
                }
                server.signal(SIGTERM)
            }
            let outcome = try await server.waitForExit(seconds: 15)
            let stopSeconds = Date().timeIntervalSince(signalled)
            let givenBack = try await harness.db.withConnection { connection in
                try connection.query(
                    "SELECT status, attempts, lease_token IS NULL AS unleased FROM crm.review_work WHERE review_id = 1"
                )[0]
            }
            let status = try givenBack.decode(String.self, "status")
            let attempts = try givenBack.decode(Int.self, "attempts")
            print(
                String(
                    format: "shutdown cut short (%@): exit %d after %.2f s; the review is %@ after %d attempts",
                    stop.rawValue, outcome.status, stopSeconds, status, attempts))
            #expect(outcome.status == 143)
            #expect(
                outcome.standardError.contains(
                    stop == .secondSignal
                        ? "shutdown cut short by a second signal" : "shutdown cut short by the time limit"))
            // Nothing went wrong: the HTTP server logged "Waiting on child channel: CancellationError()" and "Server
            // shutdown error: …" at error level when the cut cancelled it.
            let errorLines = Self.errorLines(outcome.standardError)
            #expect(errorLines.isEmpty, "a shutdown cut short is no error: \(errorLines)")
            #expect(status == "pending", "given back, not left leased until the lease expires")
            #expect(attempts == 0, "the interrupted attempt does not count")
            #expect(try givenBack.decode(Bool.self, "unleased"))

            let next = try harness.startServer()
            try await harness.waitForAllReviewsProcessed(timeout: 30)
            let done = try await harness.db.withConnection { connection in
                try connection.query(
                    """
                    SELECT w.status, w.attempts, w.completed_at < \(leaseExpiry) AS before_expiry,
                           (SELECT count(*) FROM crm.review_sentiment WHERE review_id = 1) AS sentiment_rows
                    FROM crm.review_work AS w WHERE w.review_id = 1
                    """)[0]
            }
            #expect(try done.decode(String.self, "status") == "completed")
            #expect(try done.decode(Int.self, "attempts") == 1)
            #expect(try done.decode(Int.self, "sentiment_rows") == 1)
            #expect(try done.decode(Bool.self, "before_expiry"), "the second server did not wait for the lease")
            (try await harness.invariants()).expectNoLossNoDuplicate()
            next.signal(SIGTERM)
            #expect(try await next.waitForExit().status == 0)
        }

        /// A worker blocked in the database (its batch write waits for a customer lock that someone holds): a second
        /// signal cancels its statement, the write rolls back — nothing half written — and its row goes back to the
        /// queue like any other batch in hand (pending, the attempt uncounted), while the lock is still held. A second
        /// server scores it once, long before its 60 s lease would have expired.
        @Test func aSecondSignalCancelsABatchWriteWaitingForALockAndGivesItsRowBack() async throws {
            let harness = try await PipelineHarness.make(
                "shutdown_stuck", pipeline: ["leaseSeconds": 60, "shutdownTimeoutSeconds": 600])
            try await harness.addCustomers(1...3)
            let server = try harness.startServer(workers: 1)
            _ = try await harness.httpPort(of: server)
            let holder = try await Self.reviewWriteWaitingForALock(harness)
            defer { holder.close() }
            let leaseExpiry = try await harness.db.withConnection { connection in
                try connection.queryValue(Date.self, "SELECT lease_expires_at FROM crm.review_work WHERE review_id = 1")
            }

            let signalled = Date()
            server.signal(SIGTERM)
            let deadline = Date().addingTimeInterval(10)
            while !server.output().standardError.contains("shutting down"), Date() < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            server.signal(SIGTERM)
            let outcome = try await server.waitForExit(seconds: 15)
            // Read while the customer lock is still held: the row was given back, not left to the lease.
            let status = try Self.expectGivenBack(on: holder, "the cancelled write committed nothing")
            print(
                String(
                    format: "shutdown cut short with a batch write waiting for a lock: exit %d after %.2f s; review %@",
                    outcome.status, Date().timeIntervalSince(signalled), status))
            #expect(outcome.status == 143)
            #expect(!outcome.standardError.contains("exiting without them"), "the cancelled worker stopped")

            try holder.execute("ROLLBACK")
            let next = try harness.startServer()
            try await harness.waitForAllReviewsProcessed(timeout: 30)
            let done = try await harness.db.withConnection { connection in
                try connection.query(
                    """
                    SELECT w.attempts, w.completed_at < \(leaseExpiry) AS before_expiry,
                           (SELECT count(*) FROM crm.review_sentiment WHERE review_id = 1) AS sentiment_rows
                    FROM crm.review_work AS w WHERE w.review_id = 1
                    """)[0]
            }
            #expect(try done.decode(Int.self, "attempts") == 1, "scored once, the cancelled attempt uncounted")
            #expect(try done.decode(Int.self, "sentiment_rows") == 1)
            #expect(try done.decode(Bool.self, "before_expiry"), "the second server did not wait for the lease")
            (try await harness.invariants()).expectNoLossNoDuplicate()
            next.signal(SIGTERM)
            #expect(try await next.waitForExit().status == 0)
        }

        /// A pipeline service that throws (no signal): the pipeline's group cancels the workers, and their batches in
        /// hand go back to the queue at once (pending, the attempt uncounted) rather than wait for their 60 s lease,
        /// as when a shutdown is cut short. The process exits 1 and says which service failed.
        @Test func aFailingServiceGivesTheBatchInHandBack() async throws {
            let harness = try await PipelineHarness.make("service_throws", pipeline: ["leaseSeconds": 60])
            try await harness.addCustomers(1...3)
            let server = try harness.startServer(
                failPoints: "worker.pause_after_score=60,service.throw_while_batch_held=1", workers: 1)
            _ = try await harness.httpPort(of: server)
            let added = Date()
            try await harness.addReview(id: 1, customer: 1, rating: 2, body: "배송이 너무 늦어요")
            let outcome = try await server.waitForExit(seconds: 20)
            let status = try await harness.db.withConnection { connection in
                try Self.expectGivenBack(on: connection, "the cancelled worker wrote nothing")
            }
            print(
                String(
                    format: "a pipeline service threw: exit %d %.2f s after the review was added; review %@",
                    outcome.status, Date().timeIntervalSince(added), status))
            #expect(outcome.status == 1)
            #expect(outcome.standardError.contains("fail point service.throw_while_batch_held"))
        }

        /// A pipeline service that throws while a worker is stuck in a database call that cancelling it cannot end:
        /// its batch write waits for a customer lock, and its backend is stopped (SIGSTOP), so the pool's cancel
        /// request reaches a backend that does not act on it. The process must not wait for that worker: it exits 1
        /// within the cancellation patience plus the give-back patience, names the error, and says it left the stuck
        /// service behind.
        @Test func aFailingServiceDoesNotWaitForAWorkerStuckInTheDatabase() async throws {
            let harness = try await PipelineHarness.make(
                "service_throws_stuck", pipeline: ["leaseSeconds": 60, "shutdownTimeoutSeconds": 600])
            try await harness.addCustomers(1...3)
            let trigger = try TestFiles.path("ondo-fail-trigger")
            let server = try harness.startServer(failPoints: "service.throw_once_file_exists=\(trigger)", workers: 1)
            _ = try await harness.httpPort(of: server)
            let holder = try await Self.reviewWriteWaitingForALock(harness)
            defer { holder.close() }
            let backend = try Self.backendsWaitingForAnAdvisoryLock(on: holder)[0]
            // Stopped, the backend takes the cancel request (a SIGINT from the postmaster) only once continued.
            kill(backend, SIGSTOP)
            defer { kill(backend, SIGCONT) }  // whatever happens below, the cluster is left clean

            let failed = Date()
            #expect(FileManager.default.createFile(atPath: trigger, contents: nil))
            // Bounded, so that a server that hangs fails the test rather than holding CI.
            guard let outcome = try? await server.waitForExit(seconds: 10) else {
                Issue.record("ondo serve still runs 10 s after the failure; stderr:\n\(server.output().standardError)")
                return
            }
            let exitSeconds = Date().timeIntervalSince(failed)
            let left = try holder.query(
                "SELECT status, lease_token IS NOT NULL AS leased FROM crm.review_work WHERE review_id = 1")[0]
            let status = try left.decode(String.self, "status")
            print(
                String(
                    format: "a pipeline service threw with a worker stuck in the database: exit %d after %.2f s; "
                        + "review %@",
                    outcome.status, exitSeconds, status))
            #expect(outcome.status == 1)
            #expect(outcome.standardError.contains("fail point service.throw_once_file_exists"))
            #expect(outcome.standardError.contains("exiting without them"), "the stuck worker was left behind")
            #expect(
                outcome.standardError.contains("keep their leases") && outcome.standardError.contains("ondo.count=1"),
                "the log says the stuck row waits for its lease, not only that 0 rows were given back")
            #expect(
                exitSeconds < 4, "at most the give-back patience (2 s from the failure), with room for a slow machine")
            // Not given back: the stopped backend's transaction still holds the row, and the give-back skips rows
            // locked by others. It returns to the queue when its lease expires, as after a crash.
            #expect(status == "processing")
            #expect(try left.decode(Bool.self, "leased"))

            // Continued, the backend acts on the cancel request, finds its client gone and ends: nothing written.
            kill(backend, SIGCONT)
            try await harness.waitUntil("the stuck backend has ended", timeout: 20) { connection in
                try connection.queryValue(
                    Int.self, "SELECT count(*) FROM pg_stat_activity WHERE pid = \(backend)") == 0
            }
            #expect(
                try holder.queryValue(Int.self, "SELECT count(*) FROM crm.review_sentiment WHERE review_id = 1") == 0,
                "the stuck batch write committed nothing")
            try holder.execute("ROLLBACK")
        }

        /// The process ids of the backends of this test's database waiting for an advisory lock.
        /// Holds customer 1's lock on a connection of its own (returned, its transaction open), adds review 1 for that
        /// customer, and waits until the running server's batch write for it waits for the lock.
        private static func reviewWriteWaitingForALock(_ harness: PipelineHarness) async throws -> PostgresConnection {
            // The signups' customer work first, so that the lock below holds up the review's batch, not theirs.
            try await harness.waitUntil("the signups are recomputed", timeout: 20) { connection in
                try connection.queryValue(
                    Int.self, "SELECT count(*) FROM crm.customer_work WHERE status <> 'completed'") == 0
            }
            let holder = try harness.db.connect()
            do {
                try holder.execute("BEGIN")
                // CustomerStateStore's per-customer lock ("ONDO", hashint8(customer id)).
                try holder.execute("SELECT pg_advisory_xact_lock(\(Int32(0x4F4E_444F)), hashint8(1::bigint))")
                try await harness.addReview(id: 1, customer: 1, rating: 2, body: "배송이 너무 늦어요")
                try await harness.waitUntil("the review's batch write waits for the customer lock", timeout: 20) {
                    connection in
                    try backendsWaitingForAnAdvisoryLock(on: connection).count == 1
                        && connection.queryValue(
                            Int.self,
                            "SELECT count(*) FROM crm.review_work WHERE review_id = 1 AND status = 'processing'") == 1
                }
                return holder
            } catch {
                holder.close()
                throw error
            }
        }

        private static func backendsWaitingForAnAdvisoryLock(on connection: PostgresConnection) throws -> [Int32] {
            try connection.query(
                """
                SELECT pid FROM pg_stat_activity
                WHERE datname = current_database() AND wait_event_type = 'Lock' AND wait_event = 'advisory'
                """
            ).map { try $0.decode(Int32.self, "pid") }
        }

        /// Expects review 1's work row given back — pending, unleased, the interrupted attempt uncounted — and no
        /// score written (`why` says what wrote none); returns its status for the test's printed measurement.
        private static func expectGivenBack(on connection: PostgresConnection, _ why: Comment) throws -> String {
            let row = try connection.query(
                """
                SELECT status, attempts, lease_token IS NULL AS unleased,
                       (SELECT count(*) FROM crm.review_sentiment WHERE review_id = 1) AS sentiment_rows
                FROM crm.review_work WHERE review_id = 1
                """)[0]
            let status = try row.decode(String.self, "status")
            #expect(status == "pending", "given back, not left leased until the lease expires")
            #expect(try row.decode(Int.self, "attempts") == 0, "the interrupted attempt does not count")
            #expect(try row.decode(Bool.self, "unleased"))
            #expect(try row.decode(Int.self, "sentiment_rows") == 0, why)
            return status
        }
    }
}
