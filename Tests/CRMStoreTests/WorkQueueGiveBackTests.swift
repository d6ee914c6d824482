import CRMStore
import Foundation
import Postgres
import TestSupport
import Testing

/// Giving leases back (`ondo serve` whose shutdown was cut short): as the app role, which may only UPDATE the queue.
@Suite struct WorkQueueGiveBackTests {
    private let queue = WorkQueue(.reviews)

    /// Only the rows still leased under the given tokens go back, claimable at once and with the claim's attempt
    /// uncounted; another lease is untouched, and a row someone holds locked (a batch write in progress) is left to
    /// that transaction rather than waited for.
    @Test func onlyTheGivenLeasesGoBackUntriedAndALockedRowIsLeftAlone() async throws {
        let db = try await TestPostgres.shared.freshDatabase("give_back")
        try await shopWrites([3001, 3002], to: db)
        let app = try appConnection(to: db)
        defer { app.close() }
        let given = UUID()
        #expect(Set(try queue.claim(limit: 10, leaseSeconds: 30, token: given, on: app).map(\.key)) == [3001, 3002])
        try await shopWrites([3003], to: db)
        let other = UUID()
        #expect(try queue.claim(limit: 10, leaseSeconds: 30, token: other, on: app).map(\.key) == [3003])

        // A batch write holds row 3002 locked while the leases are given back.
        #expect(try whileAnotherTransactionLocks(3002, in: db) { try queue.giveBack([given], on: app) } == 1)

        let rows = try WorkRow.all(on: app)
        #expect(rows.keys.sorted() == [3001, 3002, 3003])
        #expect(
            rows[3001] == WorkRow(status: "pending", attempts: 0, leased: false, claimable: true),
            "given back, claimable at once, its attempt uncounted")
        #expect(rows[3002] == WorkRow(status: "processing", attempts: 1, leased: true), "locked: left to its writer")
        #expect(rows[3003] == WorkRow(status: "processing", attempts: 1, leased: true), "another lease: untouched")
        #expect(try queue.giveBack([], on: app) == 0)
    }
}

/// Ending a failed batch's lease early (its worker lost the database mid-batch): as the sweep does once a lease
/// expires, but only for the one token, with the batch's error recorded.
@Suite struct WorkQueueFailedLeaseTests {
    private let queue = WorkQueue(.reviews)

    /// Rows under the token go back with the attempt counted and the error recorded, or are discarded on their last
    /// attempt; another lease is untouched, and a row someone holds locked is left to that transaction.
    @Test func onlyTheFailedLeaseEndsWithItsErrorAndTheLastAttemptIsDiscarded() async throws {
        let db = try await TestPostgres.shared.freshDatabase("failed_lease")
        try await shopWrites([4001, 4002, 4003], to: db)
        let app = try appConnection(to: db)
        defer { app.close() }
        let failed = UUID()
        #expect(
            Set(try queue.claim(limit: 10, leaseSeconds: 30, token: failed, on: app).map(\.key)) == [4001, 4002, 4003])
        // Review 4003 was on its second attempt when its batch failed: the last one, with at most two.
        try app.execute("UPDATE crm.review_work SET attempts = 2 WHERE review_id = 4003")
        try await shopWrites([4004], to: db)
        let other = UUID()
        #expect(try queue.claim(limit: 10, leaseSeconds: 30, token: other, on: app).map(\.key) == [4004])

        // A write of the failed batch, still running on the server, holds row 4002 locked.
        let ended = try whileAnotherTransactionLocks(4002, in: db) {
            try queue.endFailedLease(failed, error: "connection lost", maximumAttempts: 2, on: app)
        }
        #expect(ended.requeued == 1 && ended.discarded == 1)

        let rows = try WorkRow.all(on: app)
        #expect(rows.keys.sorted() == [4001, 4002, 4003, 4004])
        #expect(
            rows[4001]
                == WorkRow(status: "pending", attempts: 1, leased: false, claimable: true, error: "connection lost"),
            "back in the queue, claimable at once, the attempt counted, the error recorded")
        #expect(rows[4002] == WorkRow(status: "processing", attempts: 1, leased: true), "locked: left to its writer")
        #expect(
            rows[4003]
                == WorkRow(
                    status: "discarded", attempts: 2, leased: false, claimable: true,
                    error: "its batch failed on the last attempt: connection lost"),
            "discarded on its last attempt")
        #expect(rows[4004] == WorkRow(status: "processing", attempts: 1, leased: true), "another lease: untouched")
    }
}

/// A review's work row, as the two suites above check it.
private struct WorkRow: Equatable {
    var status: String
    var attempts: Int
    var leased: Bool
    /// `available_at` has passed (a leased row's is its claim's, so it is claimable too).
    var claimable = true
    var error: String?

    /// Every row of `crm.review_work`, by review id.
    static func all(on connection: PostgresConnection) throws -> [Int64: WorkRow] {
        let rows = try connection.query(
            """
            SELECT review_id, status, attempts, lease_token IS NOT NULL AS leased, available_at <= now() AS claimable,
                last_error
            FROM crm.review_work
            """)
        return Dictionary(
            uniqueKeysWithValues: try rows.map { row in
                (
                    try row.decode(Int64.self, "review_id"),
                    WorkRow(
                        status: try row.decode(String.self, "status"), attempts: try row.decode(Int.self, "attempts"),
                        leased: try row.decode(Bool.self, "leased"), claimable: try row.decode(Bool.self, "claimable"),
                        error: try row.decode(String?.self, "last_error"))
                )
            })
    }
}

/// Runs `body` while another transaction of the app role holds review `review`'s work row locked.
private func whileAnotherTransactionLocks<Result>(
    _ review: Int64, in db: TestDatabase, _ body: () throws -> Result
) throws -> Result {
    let writer = try db.connect(as: .app)
    defer { writer.close() }
    try writer.execute("BEGIN")
    try writer.execute("SELECT 1 FROM crm.review_work WHERE review_id = \(review) FOR UPDATE")
    defer { try? writer.execute("ROLLBACK") }
    return try body()
}

/// Reviews `ids`, written by the shop (customer `id % 100`, product 5): each queued by the shop's trigger.
private func shopWrites(_ ids: [Int64], to db: TestDatabase) async throws {
    try await db.withConnection(as: .shop) { shop in
        for id in ids {
            try shop.execute(
                "INSERT INTO shop.reviews (id, customer_id, product_id, rating, body) VALUES (\(id), \(id % 100), 5, 4, '좋아요')"
            )
        }
    }
}

/// A connection of the app role, which may only UPDATE the queue; a row lock it waits for fails the test after 3 s
/// instead of hanging it.
private func appConnection(to db: TestDatabase) throws -> PostgresConnection {
    let app = try db.connect(as: .app)
    try app.execute("SET lock_timeout = '3s'")
    return app
}
