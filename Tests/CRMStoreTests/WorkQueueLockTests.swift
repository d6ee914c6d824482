import CRM
import CRMStore
import Foundation
import Postgres
import TestSupport
import Testing

/// The queue never waits for a work row someone else holds locked (review finding D1): a shop transaction
/// that edits a review locks its work row until it ends, and a worker, the sweeper or a failed attempt waiting
/// for it would stall (and could deadlock with the shop) for as long as the shop's transaction stays open.
@Suite struct WorkQueueLockTests {
    private let queue = WorkQueue(.reviews)

    @Test func aWorkRowLockedByTheShopIsLeftOutNotWaitedFor() async throws {
        let db = try await TestPostgres.shared.database("WorkQueueLocks")
        try await db.withConnection(as: .shop) { shop in
            try shop.execute("""
                INSERT INTO shop.reviews (id, customer_id, product_id, rating, body)
                VALUES (2001, 21, 5, 4, '좋아요'), (2002, 22, 5, 5, '최고예요')
                """)
        }
        let token = UUID()
        let app = try db.connect(as: .app)
        defer { app.close() }
        // Without the fix each of the calls below waits for the shop's lock; fail fast instead of hanging.
        try app.execute("SET lock_timeout = '3s'")
        let claimed = try queue.claim(limit: 10, leaseSeconds: 30, token: token, on: app)
        #expect(Set(claimed.map(\.key)) == [2001, 2002])
        try await db.withConnection { admin in
            try admin.execute("UPDATE crm.review_work SET lease_expires_at = now() - interval '1 second' WHERE review_id = 2001")
        }

        // The shop edits review 2001 and keeps its transaction open: its trigger holds the work row locked.
        let shop = try db.connect(as: .shop)
        defer { shop.close() }
        try shop.execute("BEGIN")
        try shop.execute("UPDATE shop.reviews SET body = '다시 보니 별로예요' WHERE id = 2001")

        let started = Date()
        let owned = try app.withTransaction { try queue.lockLeased([2001, 2002], token: token, on: $0) }
        #expect(owned == [2002])
        let failed = try queue.fail(
            2001, token: token, error: "test", decision: .retry(afterSeconds: 1), on: app)
        #expect(!failed)
        let sweep = try queue.sweepExpiredLeases(maximumAttempts: 5, on: app)
        #expect(sweep.requeued == 0 && sweep.discarded == 0)
        let waited = Date().timeIntervalSince(started)
        print("locked work row: lockLeased, fail and sweep returned after \(String(format: "%.3f", waited)) s")
        #expect(waited < 2)

        // The shop's edit wins: the review is pending again, as revision 2, under no lease.
        try shop.execute("COMMIT")
        let row = try app.query("SELECT status, revision, lease_token IS NULL AS free FROM crm.review_work WHERE review_id = 2001")[0]
        #expect(try row.decode(String.self, "status") == "pending")
        #expect(try row.decode(Int.self, "revision") == 2)
        #expect(try row.decode(Bool.self, "free"))
    }
}
