import CRM
import CRMStore
import Foundation
import Postgres
import TestSupport
import Testing

/// A batch's lookups by key array (the claimed reviews, their work rows, their customers' states, and the state
/// rows its write updates by the keys of the rows it sends) are planned for each batch, never served by a cached
/// generic plan. A generic plan settles on the tables as they were when a
/// long-lived connection ran the statement a sixth time: on a fresh install, or on tables emptied and vacuumed
/// as the pipeline benchmark does, a sequential scan that compares every row with every key of the batch one by
/// one (a plan for the batch's own keys hashes them), kept as the tables grow until an ANALYZE replans. In a
/// 20,000-review end-to-end run with batches of up to 1,024 the batches scanned 4.0 million review rows and 3.3
/// million work rows, and reading the batches' reviews took 2.4 s against 0.15 s planned per batch
/// (`pg_stat_statements`, 2026-12-01; with the default 256 no such scan was seen).
@Suite struct GrowingTablePlanTests {
    private let states = CustomerStateStore.forTests
    private let queue = WorkQueue(.reviews)

    @Test func batchLookupsByKeyAreNeverServedByAGenericPlan() async throws {
        let db = try await TestPostgres.shared.database("GrowingTablePlans")
        try await db.withConnection(as: .shop) { shop in
            try shop.execute(
                """
                INSERT INTO shop.customers (id, name, created_at)
                SELECT i, '고객 ' || i, now() - interval '90 days' FROM generate_series(1, 2000) AS i
                """)
            try shop.execute(
                "INSERT INTO shop.products (id, sku, name, category, price) VALUES (5, 'SKU-5', '셔츠', 'clothing', 30000)"
            )
        }
        // Statistics that say "empty", as after a fresh install, and no autovacuum to change them during the test.
        try await db.freezeStatistics(of: ["shop.reviews", "crm.review_work", "crm.customer_state"])
        try await db.withConnection(as: .shop) { shop in
            try shop.execute(
                """
                INSERT INTO shop.reviews (customer_id, product_id, rating, body)
                SELECT i, 5, 5, '배송이 빠르고 포장도 꼼꼼해요 좋아요 ' || i FROM generate_series(1, 2000) AS i
                """)
        }
        let (handled, genericallyPlanned) = try await db.withConnection(as: .app) { [states, queue] connection in
            // One batch of 200 reviews, as a worker handles it: claim, read, recompute, complete. Returns how many
            // reviews went all the way through (200 when every step found every review).
            func batch() throws -> Int {
                let token = UUID()
                let claimed = try queue.claim(limit: 200, leaseSeconds: 30, token: token, on: connection)
                let records = try ReviewRecord.load(claimed.map(\.key), on: connection)
                return try connection.withTransaction(.readCommitted) { connection in
                    let owned = try queue.lockLeased(Array(records.keys), token: token, on: connection)
                    var causes: [Int64: StateChangeCause] = [:]
                    for id in owned { causes[records[id]!.customerId] = .review(id: id) }
                    let recomputed = try states.recompute(causes, lockWait: .wait, on: connection)
                    let completed = try queue.complete(Array(owned), token: token, on: connection)
                    return min(claimed.count, records.count, owned.count, recomputed.assessments.count, completed)
                }
            }
            // More batches than PostgreSQL's five custom plans before it may settle on a generic one.
            let handled = try (1...8).map { _ in try batch() }
            let genericallyPlanned = try connection.query(
                """
                SELECT statement FROM pg_prepared_statements
                WHERE generic_plans > 0 AND statement ~ '(= ANY|jsonb_to_recordset)'
                  AND statement ~ '(shop\\.reviews|review_work|customer_state)\\M'
                """
            ).map { try $0.decode(String.self, "statement") }
            return (handled, genericallyPlanned)
        }
        #expect(handled == Array(repeating: 200, count: 8))
        #expect(genericallyPlanned == [])
    }
}
