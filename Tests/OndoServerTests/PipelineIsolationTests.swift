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
            try await harness.db.withConnection(as: .shop) { connection in
                try connection.execute("""
                    INSERT INTO shop.reviews (id, customer_id, product_id, rating, body, created_at)
                    VALUES (1, 1, 1, 5, '재구매 의사 있어요 최고', \(Self.bcDate)::timestamptz)
                    """)
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
            server.signal(SIGTERM)
            _ = try await server.waitForExit()
            let log = server.output().standardError
            #expect(log.contains("review discarded after its last attempt"))
            #expect(log.contains("ondo.review_id=1 "))
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
