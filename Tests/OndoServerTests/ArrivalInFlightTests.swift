import Foundation
import Postgres
import TestSupport
import Testing

extension PipelineTests {
    /// A customer who arrives while a worker holds a review waiting for them (read before the customer existed,
    /// written after the shop's trigger passed it over as in flight): the review is retried at once, and the
    /// attempt spent waiting does not count (review follow-up H2.1). Before, the worker recorded a waiting attempt
    /// (retried after its delay, the attempt counted against retry.maximumAttempts) or, on the last waiting
    /// attempt, quarantined it until the lease sweeper's next pass.
    @Suite struct ArrivalInFlight {
        @Test func aCustomerArrivingWhileTheReviewBacksOffInHandCostsNoAttemptAndNoDelay() async throws {
            try await expectRetriedAtOnce(unknownReferenceAttempts: 3, name: "arrival_in_flight_waiting")
        }

        @Test func aCustomerArrivingWhileTheReviewIsQuarantinedInHandIsNotQuarantined() async throws {
            try await expectRetriedAtOnce(unknownReferenceAttempts: 1, name: "arrival_in_flight_quarantine")
        }

        /// A retry delay of 120 s and a sweep every hour: only the fix gets the review scored within the wait.
        private func expectRetriedAtOnce(unknownReferenceAttempts: Int, name: String) async throws {
            let harness = try await PipelineHarness.make(
                name,
                pipeline: [
                    "unknownReferenceAttempts": unknownReferenceAttempts, "sweepIntervalSeconds": 3600,
                    "leaseSeconds": 60,
                    "retry": ["maximumAttempts": 4, "initialDelaySeconds": 120, "maximumDelaySeconds": 300]
                        as [String: any Sendable],
                ])
            try await harness.addCustomers(1...1)  // and products 1...5: only customer 77 is missing
            // The worker holds the scored batch until the gate file exists, so the lock below is taken before it
            // writes however slow the machine. (A 2 s pause once ran out first on a starved CI machine.)
            let gate = try TestFiles.path("ondo-hold-gate")
            let server = try harness.startServer(
                failPoints: "worker.hold_after_score_until_file=\(gate)", workers: 1)
            _ = try await harness.httpPort(of: server)
            try await harness.addReview(id: 1, customer: 77, rating: 1, body: "배송이 너무 늦고 포장도 엉망이에요")
            try await harness.insertCustomer(77, whileAWorkerHoldsReview: 1, releasing: gate)

            try await harness.waitUntil("the review is scored", timeout: 30) { connection in
                try connection.queryValue(Int.self, "SELECT count(*) FROM crm.review_sentiment WHERE review_id = 1")
                    == 1
            }
            let (attempts, quarantined) = try await harness.db.withConnection { connection in
                (
                    try connection.queryValue(Int.self, "SELECT attempts FROM crm.review_work WHERE review_id = 1"),
                    try connection.queryValue(Int.self, "SELECT count(*) FROM crm.review_quarantine")
                )
            }
            #expect(attempts == 1, "the attempt that found no customer is not counted")
            #expect(quarantined == 0)
            (try await harness.invariants()).expectNoLossNoDuplicate()
            try await server.stop()
        }
    }
}

extension PipelineHarness {
    /// Inserts customer `customer` after a worker claimed (and so read) review `review` and before it writes: in a
    /// transaction that keeps `crm.review_work` from being written until it commits, so the worker's write waits
    /// for the commit and then runs with the customer visible, while its read did not see it.
    /// The worker waits for the file `gate`, created once the customer is inserted.
    fileprivate func insertCustomer(
        _ customer: Int64, whileAWorkerHoldsReview review: Int64, releasing gate: String
    ) async throws {
        try await waitUntil("a worker holds review \(review)", timeout: 30) { connection in
            try connection.queryValue(String.self, "SELECT status FROM crm.review_work WHERE review_id = \(review)")
                == "processing"
        }
        let arrival = try db.connect()
        defer { arrival.close() }
        try arrival.execute("BEGIN")
        try arrival.execute("LOCK TABLE crm.review_work IN SHARE MODE")
        try arrival.execute(
            "INSERT INTO shop.customers (id, name, created_at) VALUES (\(customer), '고객', now() - interval '200 days')")
        let passedOver = try arrival.queryValue(
            String.self, "SELECT status FROM crm.review_work WHERE review_id = \(review)")
        #expect(passedOver == "processing", "the shop's trigger leaves a review in flight alone")
        #expect(FileManager.default.createFile(atPath: gate, contents: nil))
        try await waitUntil("the worker's write waits for the shop's commit", timeout: 30) { connection in
            try connection.queryValue(
                Int.self, "SELECT count(*) FROM pg_locks WHERE relation = 'crm.review_work'::regclass AND NOT granted")
                > 0
        }
        try arrival.execute("COMMIT")
    }
}
