import CRM
import CRMStore
import Foundation
import Postgres
import TestSupport
import Testing

/// The queue does not wait like a normal lock for a work row someone else holds locked (review finding D1): a
/// shop transaction that edits a review locks its work row until it ends, and a worker, the sweeper or a failed
/// attempt waiting for it would stall (and could deadlock with the shop) for as long as the shop's transaction
/// stays open. A row still leased to the caller is tried again for a moment (`WorkQueue.lockRetryDelays`), then
/// left out.
@Suite struct WorkQueueLockTests {
    private let queue = WorkQueue(.reviews)

    @Test func aWorkRowLockedByTheShopIsLeftOutNotWaitedFor() async throws {
        let db = try await TestPostgres.shared.database("WorkQueueLocks")
        try await db.withConnection(as: .shop) { shop in
            try shop.execute(
                """
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
            try admin.execute(
                "UPDATE crm.review_work SET lease_expires_at = now() - interval '1 second' WHERE review_id = 2001")
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
        // Without the fix, lock_timeout (3 s) fails the first of these calls with 55P03.
        let waited = Date().timeIntervalSince(started)
        print("locked work row: lockLeased, fail and sweep returned after \(String(format: "%.3f", waited)) s")

        // The shop's edit wins: the review is pending again, as revision 2, under no lease.
        try shop.execute("COMMIT")
        let row = try app.query(
            "SELECT status, revision, lease_token IS NULL AS free FROM crm.review_work WHERE review_id = 2001")[0]
        #expect(try row.decode(String.self, "status") == "pending")
        #expect(try row.decode(Int.self, "revision") == 2)
        #expect(try row.decode(Bool.self, "free"))
    }

    /// Another worker's claim can hold a row this worker has just claimed locked for the rest of its statement (it
    /// follows the row's update chain, then finds it no longer pending). Such a short hold is waited out, not
    /// taken for a lost lease: a false fence left the review in flight until its lease expired, and two of five
    /// stand-in benchmark runs took 35 and 40 s instead of 8.
    @Test func aLeasedRowLockedForAMomentIsWaitedOut() async throws {
        let db = try await TestPostgres.shared.database("WorkQueueBriefLock")
        try await db.withConnection(as: .shop) { shop in
            try shop.execute(
                "INSERT INTO shop.reviews (id, customer_id, product_id, rating, body) VALUES (2101, 21, 5, 4, '좋아요')")
        }
        let token = UUID()
        let app = try db.connect(as: .app)
        defer { app.close() }
        #expect(try queue.claim(limit: 10, leaseSeconds: 30, token: token, on: app).map(\.key) == [2101])

        // Someone else holds the row locked, as a concurrent claim's statement would (briefly): from before
        // lockLeased starts until 60 ms after, so the hold is certain to be met and short enough to be waited out
        // (a fixed 60 ms hold that began on its own was over before a starved CI poll could see it). On a thread of
        // its own: a task would wait for one of the cooperative pool's two threads, which other tests' blocking
        // calls can all be holding.
        let holder = LockedBox<Result<Void, any Error>?>(nil)
        let (held, go) = (DispatchSemaphore(value: 0), DispatchSemaphore(value: 0))
        let configuration = db.configuration(as: .app)
        Thread {
            let result = Result<Void, any Error> {
                let other = try PostgresConnection(configuration: configuration, logger: TestPostgres.logger)
                defer { other.close() }
                try other.withTransaction { other in
                    try other.execute("SELECT review_id FROM crm.review_work WHERE review_id = 2101 FOR UPDATE")
                    held.signal()
                    _ = go.wait(timeout: .now() + 30)
                    Thread.sleep(forTimeInterval: 0.06)
                }
            }
            holder.mutate { $0 = result }
            held.signal()  // when it failed before holding the row
        }.start()
        _ = held.wait(timeout: .now() + 30)
        let locked = try app.query("SELECT 1 FROM crm.review_work WHERE review_id = 2101 FOR UPDATE SKIP LOCKED")
            .isEmpty
        try #require(locked, "the other connection never held the row: \(String(describing: holder.mutate { $0 }))")

        go.signal()
        let owned = try app.withTransaction { try queue.lockLeased([2101], token: token, on: $0) }
        #expect(owned == [2101])
        while holder.mutate({ $0 == nil }) { try await Task.sleep(for: .milliseconds(10)) }
        try holder.mutate { $0 }?.get()
    }
}
