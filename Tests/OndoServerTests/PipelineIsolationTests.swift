import Foundation
import Postgres
import TestSupport
import Testing

extension PipelineTests {
    /// One item whose shop data breaks Ondo fails alone: its batch-mates are processed, and it is retried, then
    /// discarded with its own error (or, for the scheduler, looked at again later).
    @Suite struct Isolation {
        /// A date PostgreSQL stores but Ondo's timestamp decoder refuses (it has no BC dates).
        static let bcDate = "0044-03-15 00:00:00+00 BC"

        @Test func aReviewThatCannotBeReadIsDiscardedWithItsErrorAndItsBatchIsScored() async throws {
            let harness = try await PipelineHarness.make("unreadable_review")
            try await harness.addCustomers(1...5)
            // Queued before the server starts, so that the first claim takes them all in one batch.
            try await harness.addReviews(firstId: 10, count: 12, customers: 1...5)
            try await harness.writingAsBeforeMigration0014 {
                try await harness.db.withConnection(as: .shop) { connection in
                    _ = try connection.execute(
                        """
                        INSERT INTO shop.reviews (id, customer_id, product_id, rating, body, created_at)
                        VALUES (1, 1, 1, 5, '재구매 의사 있어요 최고', \(Self.bcDate)::timestamptz)
                        """)
                }
            }
            let server = try harness.startServer()
            try await harness.waitForAllReviewsProcessed()
            let bad = try await harness.db.withConnection { connection in
                try connection.query("SELECT status, attempts, last_error FROM crm.review_work WHERE review_id = 1")[0]
            }
            let status = try bad.decode(String.self, "status")
            let attempts = try bad.decode(Int.self, "attempts")
            let error = try bad.decode(String?.self, "last_error") ?? ""
            let invariants = try await harness.invariants()
            print("unreadable review: \(status) after \(attempts) attempts: \(error); \(invariants)")
            #expect(status == "discarded")
            #expect(attempts == 3)
            #expect(error.contains("created_at"), "the decoding error, not a lease expiry")
            invariants.expectNoLossNoDuplicate(discardedAllowed: 1)
            #expect(invariants.completed == 12)
            #expect(invariants.scoredReviews == 12)
            #expect(invariants.mostAttempts == 3)
            #expect(invariants.retried == 1, "only the unreadable review was tried again")
            let log = try await server.stop().standardError
            #expect(log.contains("review discarded after its last attempt"))
            #expect(log.contains("ondo.review_id=1 "))
        }

        @Test func aCustomerWhoseRecomputeFailsIsDiscardedAloneAndCountedAsCustomerWork() async throws {
            let harness = try await PipelineHarness.make("customer_work_isolation")
            try await harness.addCustomers(1...5, withOrdersAndOneUnreadable: 3)
            let server = try harness.startServer()
            let port = try await harness.httpPort(of: server)
            try await harness.waitUntil("the customer work is finished") { connection in
                try connection.queryValue(
                    Int.self, "SELECT count(*) FROM crm.customer_work WHERE status IN ('pending', 'processing')") == 0
            }
            let work = try await harness.db.withConnection { connection in
                try connection.query(
                    "SELECT customer_id, status, attempts, last_error FROM crm.customer_work ORDER BY customer_id"
                )
                .map {
                    (
                        try $0.decode(Int64.self, "customer_id"), try $0.decode(String.self, "status"),
                        try $0.decode(Int.self, "attempts"), try $0.decode(String?.self, "last_error") ?? ""
                    )
                }
            }
            let states = try await harness.db.withConnection { connection in
                try connection.query("SELECT customer_id FROM crm.customer_state ORDER BY customer_id")
                    .map { try $0.decode(Int64.self, "customer_id") }
            }
            print("customer work isolation: \(work.map { "\($0.0):\($0.1)/\($0.2)" }); states for \(states)")
            #expect(work.filter { $0.1 == "completed" }.map(\.0) == [1, 2, 4, 5])
            #expect(
                work.filter { $0.1 == "completed" }.allSatisfy { $0.2 == 1 }, "the healthy customers completed at once")
            let bad = work.first { $0.0 == 3 }
            #expect(bad?.1 == "discarded")
            #expect(bad?.2 == 3)
            #expect(bad?.3.contains("last_order_at") == true, "the decoding error is recorded")
            #expect(states == [1, 2, 4, 5])

            // The counter moves just after the commit the wait above saw: wait for it too.
            try await harness.waitUntil("the discard is counted", timeout: 10) { _ in
                Curl.metric("ondo_customer_work_discarded_total", in: try runBlockingCurl(port)) == 1
            }
            let metrics = try await Curl.get("http://127.0.0.1:\(port)/metrics")
            #expect(Curl.metric("ondo_customer_work_discarded_total", in: metrics) == 1)
            #expect(Curl.metric("ondo_customer_work_retried_total", in: metrics) == 2)
            #expect(
                Curl.metric("ondo_reviews_discarded_total", in: metrics) == 0, "customers are not counted as reviews")
            #expect(Curl.metric("ondo_reviews_retried_total", in: metrics) == 0)
            let log = try await server.stop().standardError
            #expect(log.contains("customer work discarded after its last attempt"))
            #expect(log.contains("ondo.customer_id=3 "))
            #expect(!log.contains("review discarded"))
        }

        /// A worker whose lease was taken over records nothing when its attempt fails: the sweeper (or the new
        /// owner) decides, and the metrics count only what changed.
        @Test func aFailureAfterTheLeaseWasLostIsNeitherRecordedNorCounted() async throws {
            let harness = try await PipelineHarness.make("failure_after_lease_lost", pipeline: ["leaseSeconds": 1])
            try await harness.addCustomers(1...1)
            // Each attempt outlives its lease by 3 s (the sweeper, every 0.5 s, takes the review back meanwhile, with
            // room for a slow machine), then fails to write.
            let server = try harness.startServer(failPoints: "worker.pause_after_score=4,apply.poison=독약", workers: 1)
            let port = try await harness.httpPort(of: server)
            try await harness.addReview(id: 1, customer: 1, rating: 1, body: "이건 독약 같은 리뷰")
            try await harness.waitUntil("the review is discarded by the sweeper", timeout: 60) { connection in
                try connection.queryValue(String.self, "SELECT status FROM crm.review_work WHERE review_id = 1")
                    == "discarded"
            }
            // Let the last stale attempt end.
            try await Task.sleep(for: .seconds(4.5))
            let error = try await harness.db.withConnection {
                try $0.queryValue(String?.self, "SELECT last_error FROM crm.review_work WHERE review_id = 1")
            }
            let metrics = try await Curl.get("http://127.0.0.1:\(port)/metrics")
            let retried = Curl.metric("ondo_reviews_retried_total", in: metrics)
            let discarded = Curl.metric("ondo_reviews_discarded_total", in: metrics)
            print(
                "failure after lease lost: last error \(error ?? "-"); retried \(retried ?? -1), discarded \(discarded ?? -1)"
            )
            #expect(error?.contains("lease expired") == true)
            #expect(retried == 0, "the stale attempts' failures changed nothing")
            #expect(discarded == 1, "counted once, by the sweeper")
            try await server.stop()
            #expect(server.output().standardError.contains("lease lost before a failed attempt was recorded"))
        }

        @Test func theSchedulerRecomputesHealthyOverdueCustomersPastOneThatFails() async throws {
            let harness = try await PipelineHarness.make("scheduler_isolation")
            try await harness.addCustomers(1...6)
            for customer in Int64(1)...5 where customer != 4 {
                try await harness.addOrder(id: customer, customer: customer, daysAgo: 10)
            }
            try await harness.addUnreadableOrder(id: 4, customer: 4)
            // A frequent buyer with one order whose total is NaN (written before migration 0014, whose check now
            // refuses it; CHECK (total >= 0) let it through): the order counts, its total adds nothing.
            try await harness.writingAsBeforeMigration0014 {
                for (index, total) in [10_000, 20_000, Double.nan, 30_000].enumerated() {
                    try await harness.addOrder(
                        id: 60 + Int64(index), customer: 6, daysAgo: 10 + Double(index) * 10, total: total)
                }
            }
            // Only the scheduler recomputes: no customer work, and every customer overdue.
            try await leaveToTheScheduler(harness, customers: 1...6) { _ in 1 }
            let server = try harness.startServer()
            let port = try await harness.httpPort(of: server)
            try await harness.waitUntil("the scheduler recomputed the healthy customers", timeout: 30) { connection in
                try connection.queryValue(
                    Int.self, "SELECT count(*) FROM crm.customer_state WHERE cause = 'scheduler' AND customer_id <> 4")
                    == 5
            }
            let (bad, buyer) = try await harness.db.withConnection { connection in
                (
                    try connection.query(
                        """
                        SELECT cause, extract(epoch FROM recheck_at - now())::float8 AS recheck_in
                        FROM crm.customer_state WHERE customer_id = 4
                        """)[0],
                    try connection.query(
                        """
                        SELECT state, (reasons -> 0 ->> 'spend_365d')::float8 AS spend
                        FROM crm.customer_state WHERE customer_id = 6
                        """)[0]
                )
            }
            let recheckIn = try bad.decode(Double.self, "recheck_in")
            print(
                String(
                    format: "scheduler isolation: customer 4 rechecked in %.0f s; customer 6 %@ with spend %@",
                    recheckIn,
                    try buyer.decode(String.self, "state"), "\(try buyer.decode(Double?.self, "spend") ?? -1)"))
            #expect(try bad.decode(String.self, "cause") == "signup", "the failing customer was not written")
            #expect(recheckIn > 3_000 && recheckIn <= 3_600, "its recheck is postponed by an hour")
            #expect(try buyer.decode(String.self, "state") == "loyal")
            #expect(try buyer.decode(Double?.self, "spend") == 60_000, "the NaN total adds nothing to the spend")
            try await harness.waitUntil("the failure is counted", timeout: 10) { _ in
                let metrics = try runBlockingCurl(port)
                return Curl.metric("ondo_scheduler_failures_total", in: metrics) == 1
            }
            let log = try await server.stop().standardError
            #expect(log.contains("customer state recompute failed; its recheck is postponed"))
            #expect(log.contains("ondo.customer_id=4 "))
        }

        /// A state row whose customer is no longer in `shop.customers` (an operator deleted it, or the shop changed
        /// its id) is never rewritten by a recompute, so its passed recheck stayed the most overdue for good: with a
        /// batch's worth of them, the scheduler read the same rows on every run and no other customer ever changed
        /// with time. Its recheck is now put off by the longest recheck interval.
        @Test func customersGoneFromTheShopDoNotHoldUpTheScheduler() async throws {
            let harness = try await PipelineHarness.make(
                "scheduler_gone_customers", pipeline: ["schedulerBatchSize": 2])
            try await harness.addCustomers(1...3)
            for customer in Int64(1)...3 { try await harness.addOrder(id: customer, customer: customer, daysAgo: 10) }
            // Only the scheduler recomputes. Customers 4 and 5 have states but no shop row, and are the most overdue.
            try await leaveToTheScheduler(harness, customers: 1...5) { $0 > 3 ? 3 : 1 }
            let server = try harness.startServer()
            try await harness.waitUntil("the scheduler recomputed the shop's customers", timeout: 30) { connection in
                try connection.queryValue(
                    Int.self, "SELECT count(*) FROM crm.customer_state WHERE cause = 'scheduler' AND customer_id <= 3")
                    == 3
            }
            let gone = try await harness.db.withConnection { connection in
                try connection.query(
                    """
                    SELECT cause, extract(epoch FROM recheck_at - now())::float8 AS recheck_in
                    FROM crm.customer_state WHERE customer_id > 3 ORDER BY customer_id
                    """
                ).map { (try $0.decode(String.self, "cause"), try $0.decode(Double.self, "recheck_in")) }
            }
            print("scheduler and gone customers: customers 4 and 5 rechecked in \(gone.map { Int($0.1) }) s")
            #expect(gone.count == 2)
            for (cause, recheckIn) in gone {
                #expect(cause == "signup", "a customer gone from the shop is not rewritten")
                #expect(recheckIn > 23 * 3_600 && recheckIn <= 24 * 3_600, "put off by maximumRecheckHours (24)")
            }
            #expect(try await server.stop().status == 0)
        }

        /// Leaves `customers` to the scheduler alone: no customer work is queued, and each has a state from its
        /// signup ('new', written two days ago) whose recheck passed `overdueDays(customer)` days ago.
        private func leaveToTheScheduler(
            _ harness: PipelineHarness, customers: ClosedRange<Int64>, overdueDays: (Int64) -> Int
        ) async throws {
            let ids = Array(customers)
            let days = ids.map(overdueDays)
            try await harness.db.withConnection { connection in
                try connection.execute("DELETE FROM crm.customer_work")
                try connection.execute(
                    """
                    INSERT INTO crm.customer_state
                        (customer_id, state, churn_risk, sentiment_score, reasons, state_since, updated_at, recheck_at, cause)
                    SELECT id, 'new', 0, 0.75, '[]', now() - interval '200 days', now() - interval '2 days',
                           now() - make_interval(days => overdue::int), 'signup'
                    FROM unnest(\(ids)::int8[], \(days)::int8[]) AS t (id, overdue)
                    """)
            }
        }
    }

    @Suite struct Draining {
        @Test func readyzAnswers503AsSoonAsShutdownBegins() async throws {  // F7
            // The batch is held after scoring until the gate exists, created once /readyz has said it is shutting
            // down; a lease longer than the fast pipeline's 3 s keeps a slow machine from expiring it meanwhile (the
            // sweeper would then re-queue it, and this test is not about that).
            let harness = try await PipelineHarness.make("draining", pipeline: ["leaseSeconds": 30])
            try await harness.addCustomers(1...1)
            let gate = try TestFiles.path("ondo-hold-gate")
            let server = try harness.startServer(failPoints: "worker.hold_after_score_until_file=\(gate)", workers: 1)
            let port = try await harness.httpPort(of: server)
            try await harness.waitUntil("the server is ready", timeout: 20) { _ in
                (try? runBlockingCurl(port, path: "readyz")) == "ready\n"
            }
            try await harness.addReview(id: 1, customer: 1, rating: 5, body: "재구매 의사 있어요 최고")
            try await harness.waitUntil("a batch is in flight", timeout: 20) { connection in
                try connection.queryValue(Int.self, "SELECT count(*) FROM crm.review_work WHERE status = 'processing'")
                    > 0
            }
            server.signal(SIGTERM)
            var answers: [String] = []
            while server.isRunning, answers.count < 200 {
                guard let answer = try? await Curl.get("http://127.0.0.1:\(port)/readyz") else { break }
                answers.append(answer)
                if answer.contains("shutting down") { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(FileManager.default.createFile(atPath: gate, contents: nil))
            print("draining: /readyz answered \(Set(answers)) after SIGTERM")
            #expect(answers.last?.contains("not ready: shutting down") == true)
            #expect(try await server.waitForExit(seconds: 20).status == 0)
            let status = try await harness.db.withConnection {
                try $0.queryValue(String.self, "SELECT status FROM crm.review_work WHERE review_id = 1")
            }
            #expect(status == "completed", "the batch in hand was finished")
        }
    }
}

/// `curl` of `path` on `port`, blocking (for conditions polled by ``PipelineHarness/waitUntil(_:timeout:_:)``).
private func runBlockingCurl(_ port: Int, path: String = "metrics") throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
    process.arguments = ["-sS", "--max-time", "10", "http://127.0.0.1:\(port)/\(path)"]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw HarnessError("curl \(path) failed") }
    return String(decoding: data, as: UTF8.self)
}
