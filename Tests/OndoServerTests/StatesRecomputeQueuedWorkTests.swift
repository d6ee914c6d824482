import CRM
import CRMStore
import Foundation
import OndoServer
import Postgres
import TestSupport
import Testing

/// What `ondo states recompute` does to the customer work queue: the pending work its recompute covered is completed
/// in the transaction that writes the states (before, it stayed pending: `ondo reviews status` counted it as backlog
/// and the next `ondo serve` recomputed the same customers again); work a server holds a lease on, and work queued
/// by a shop transaction that committed after the recompute read the facts, is left as it is.
@Suite struct StatesRecomputeQueuedWorkTests {
    private struct Work: Sendable, Equatable {
        var status: String
        var cause: String
        var leaseToken: UUID?
        var completed: Bool
    }

    private func work(_ db: TestDatabase) async throws -> [Int64: Work] {
        try await db.withConnection { admin in
            var rows: [Int64: Work] = [:]
            for row in try admin.query(
                """
                SELECT customer_id, status, cause, lease_token, completed_at IS NOT NULL AS completed
                FROM crm.customer_work
                """)
            {
                rows[try row.decode(Int64.self, "customer_id")] = Work(
                    status: try row.decode(String.self, "status"), cause: try row.decode(String.self, "cause"),
                    leaseToken: try row.decode(UUID?.self, "lease_token"),
                    completed: try row.decode(Bool.self, "completed"))
            }
            return rows
        }
    }

    private func operations(_ db: TestDatabase) throws -> Operations {
        try Operations(
            configuration: OndoConfiguration.load(environment: db.environment(as: .app)), logger: TestPostgres.logger)
    }

    @Test func pendingWorkOfTheRecomputedCustomersIsCompleted() async throws {
        let db = try await TestPostgres.shared.freshDatabase("RecomputeCompletesQueuedWork")
        // Sign-ups and orders with no `ondo serve` running: each customer's work stays pending.
        try await db.withConnection(as: .shop) { shop in
            try shop.execute(
                "INSERT INTO shop.customers (id, name, created_at) SELECT g, 'c' || g, now() - interval '90 days' FROM generate_series(1, 3) AS g"
            )
            try shop.execute(
                "INSERT INTO shop.orders (id, customer_id, ordered_at, total) VALUES (11, 1, now() - interval '2 days', 1000), (12, 2, now() - interval '1 day', 2000)"
            )
        }
        #expect(try await work(db).values.map(\.status) == ["pending", "pending", "pending"])

        let operations = try operations(db)
        let report = try await operations.recomputeStates(all: true) { _ in }
        let status = try await operations.queueStatus()
        await operations.close()
        #expect(report.recomputed == 3)
        #expect(report.completedQueuedWork == 3)
        #expect(
            try await work(db) == [
                1: Work(status: "completed", cause: "order", leaseToken: nil, completed: true),
                2: Work(status: "completed", cause: "order", leaseToken: nil, completed: true),
                3: Work(status: "completed", cause: "signup", leaseToken: nil, completed: true),
            ])
        #expect(status.customerWork.backlog == 0)
        #expect(status.customerWork.completed == 3)
    }

    /// A row a server has claimed is its lease holder's to complete (or fail): the recompute neither completes it nor
    /// breaks the lease, and the server's write goes through afterwards.
    @Test func workLeasedByAServerIsLeftToItsLeaseHolder() async throws {
        let db = try await TestPostgres.shared.freshDatabase("RecomputeLeavesLeasedWork")
        try await db.withConnection(as: .shop) { shop in
            try shop.execute(
                "INSERT INTO shop.customers (id, name, created_at) VALUES (1, '가', now() - interval '90 days')")
            try shop.execute(
                "INSERT INTO shop.customers (id, name, created_at) VALUES (2, '나', now() - interval '90 days')")
        }
        let token = UUID()
        let claimed = try await db.withConnection(as: .app) { app in
            try WorkQueue(.customers).claim(limit: 1, leaseSeconds: 300, token: token, on: app).map(\.key)
        }
        #expect(claimed == [1])

        let operations = try operations(db)
        let report = try await operations.recomputeStates(all: true) { _ in }
        await operations.close()
        #expect(report.recomputed == 2)
        #expect(report.completedQueuedWork == 1)
        let after = try await work(db)
        #expect(after[1] == Work(status: "processing", cause: "signup", leaseToken: token, completed: false))
        #expect(after[2] == Work(status: "completed", cause: "signup", leaseToken: nil, completed: true))

        // The lease holder completes its row as it would have without the recompute.
        let store = CustomerWorkStore(
            states: CustomerStateStore(
                evaluator: StateEvaluator(), maximumRecheckInterval: 86_400, preferredModelVersion: nil))
        let outcome = try await db.withConnection(as: .app) { app in try store.apply([1], token: token, on: app) }
        #expect(outcome.completed == [1])
        #expect(outcome.fenced.isEmpty)
        #expect(try await work(db)[1] == Work(status: "completed", cause: "signup", leaseToken: nil, completed: true))
    }

    /// A shop transaction that queued customers before the recompute read their facts but committed after that read
    /// changed facts the recompute did not see: its work must stay pending, whether it queued a new row, re-queued a
    /// completed one or re-queued one that was already pending (`enqueued_at` is set before the shop commits, so it
    /// is older than the recompute's read in all three cases). The recompute is held between its read and its
    /// writes by a trigger on `crm.customer_state` that waits for an advisory lock the test holds.
    @Test func workQueuedByAShopTransactionThatCommitsAfterTheReadStaysPending() async throws {
        let db = try await TestPostgres.shared.freshDatabase("RecomputeLeavesLaterWork")
        try await db.withConnection(as: .shop) { shop in
            try shop.execute(
                "INSERT INTO shop.customers (id, name, created_at) SELECT g, 'c' || g, now() - interval '90 days' FROM generate_series(1, 4) AS g"
            )
        }
        // 1 and 4: pending (their sign-ups); 2: completed; 3: no work row at all.
        let gateKey: Int64 = 48_330  // the trigger's literal below
        try await db.withConnection { admin in
            try admin.execute(
                "UPDATE crm.customer_work SET status = 'completed', completed_at = now() WHERE customer_id = 2")
            try admin.execute("DELETE FROM crm.customer_work WHERE customer_id = 3")
            try admin.execute(
                """
                CREATE FUNCTION crm.test_hold_state_writes() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_advisory_lock(48330);
                    PERFORM pg_advisory_unlock(48330);
                    RETURN NEW;
                END $$
                """)
            try admin.execute(
                """
                CREATE TRIGGER test_hold_state_writes BEFORE INSERT OR UPDATE ON crm.customer_state
                FOR EACH ROW EXECUTE FUNCTION crm.test_hold_state_writes()
                """)
        }
        let gate = try await AdvisoryLockGate.close(db, key: gateKey)
        // The shop's transaction queues 1, 2 and 3 and stays open while the recompute reads.
        let shop = LockedBox<PostgresConnection?>(nil)
        try await runBlocking {
            let connection = try db.connect(as: .shop)
            shop.mutate { $0 = connection }
            try connection.execute("BEGIN")
            try connection.execute(
                "INSERT INTO shop.orders (id, customer_id, ordered_at, total) VALUES (21, 1, now(), 1000), (22, 2, now(), 1000), (23, 3, now(), 1000)"
            )
        }
        defer { shop.mutate { $0?.close() } }
        let operations = try operations(db)
        async let recomputed = operations.recomputeStates(all: true) { _ in }
        // Once the recompute waits at its first state write, it has read the facts: the shop commits now.
        var waiting = 0
        for _ in 0..<1_000 where waiting == 0 {
            try await Task.sleep(for: .milliseconds(20))
            waiting = try await db.withConnection { admin in
                try admin.queryValue(
                    Int.self,
                    """
                    SELECT count(*) FROM pg_locks
                    WHERE locktype = 'advisory' AND NOT granted AND objid::bigint = \(gateKey)
                      AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                    """)
            }
        }
        #expect(waiting == 1)
        try await runBlocking {
            let failure: (any Error)? = shop.mutate { connection in
                do {
                    try connection?.execute("COMMIT")
                    return nil
                } catch {
                    return error
                }
            }
            if let failure { throw failure }
        }
        try await gate.open(afterWaiters: 1)
        let report = try await recomputed
        await operations.close()

        #expect(report.recomputed == 4)
        #expect(report.completedQueuedWork == 1)
        #expect(
            try await work(db) == [
                1: Work(status: "pending", cause: "order", leaseToken: nil, completed: false),
                2: Work(status: "pending", cause: "order", leaseToken: nil, completed: false),
                3: Work(status: "pending", cause: "order", leaseToken: nil, completed: false),
                4: Work(status: "completed", cause: "signup", leaseToken: nil, completed: true),
            ])
    }
}
