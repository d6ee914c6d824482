import CRM
import CRMStore
import Foundation
import Postgres
import TestSupport
import Testing

/// A batch's writes reach the score and state rows they update by key, not by reading the tables whole. Joined
/// to the batch's recordset alone (which PostgreSQL estimates at 100 rows), the score rows' update read the score
/// table whole while statistics still called it empty, as on a fresh install or after the pipeline benchmark's
/// `TRUNCATE`: 19.8 µs a review instead of 7.3 for the upsert before it, in a 20,000-review run
/// (`pg_stat_statements`, 2026-12-01; 11.0 with the key array). With 20,000 rows this test saw that scan; the state
/// rows' update did not scan at this size either way, and is held to the same rule.
@Suite struct BatchWriteScanTests {
    private let queue = WorkQueue(.reviews)

    @Test func aBatchWriteReadsNeitherTheScoreNorTheStateTableWhole() async throws {
        let db = try await TestPostgres.shared.freshDatabase("BatchWriteScans")
        try await db.withConnection(as: .shop) { shop in
            try shop.execute(
                """
                INSERT INTO shop.customers (id, name, created_at)
                SELECT i, '고객 ' || i, now() - interval '90 days' FROM generate_series(1, 5000) AS i
                """)
            try shop.execute(
                "INSERT INTO shop.products (id, sku, name, category, price) VALUES (5, 'SKU-5', '셔츠', 'clothing', 30000)"
            )
        }
        // Statistics that say "empty", and no autovacuum to change them during the test.
        try await db.freezeStatistics(of: ["crm.review_sentiment", "crm.customer_state"])
        try await db.withConnection(as: .admin) { admin in
            // 20,000 score and state rows the statistics do not know about, as many as the benchmark's run ends with.
            try admin.execute(
                """
                INSERT INTO crm.review_sentiment (review_id, model_version, customer_id, product_id, revision, probability, label)
                SELECT 1000000 + i, 'test-model', i, 5, 1, 0.9, 'positive' FROM generate_series(1, 20000) AS i
                """)
            try admin.execute(
                """
                INSERT INTO crm.customer_state (customer_id, state, churn_risk, sentiment_score, state_since, updated_at, recheck_at, cause)
                SELECT i, 'active', 0.1, 0.9, now(), now(), now() + interval '1 day', 'recompute' FROM generate_series(1, 20000) AS i
                """)
        }
        try await db.withConnection(as: .shop) { shop in
            try shop.execute(
                """
                INSERT INTO shop.reviews (customer_id, product_id, rating, body)
                SELECT i * 40, 5, 5, '배송이 빠르고 포장도 꼼꼼해요 ' || i FROM generate_series(1, 100) AS i
                """)
        }
        let store = ReviewResultStore.forTests
        // As a superuser, which may flush its statistics on demand; the statements are the workers'.
        let worker = try db.connect(as: .admin)
        defer { worker.close() }
        func sequentialScans() throws -> [String: Int] {
            try worker.execute("SELECT pg_stat_force_next_flush()")
            try worker.execute("SELECT pg_stat_clear_snapshot()")
            var scans: [String: Int] = [:]
            for row in try worker.query(
                """
                SELECT relname, seq_scan FROM pg_stat_user_tables
                WHERE schemaname = 'crm' AND relname IN ('review_sentiment', 'customer_state')
                """)
            {
                scans[try row.decode(String.self, "relname")] = try row.decode(Int.self, "seq_scan")
            }
            return scans
        }

        let token = UUID()
        let claimed = try queue.claim(limit: 100, leaseSeconds: 30, token: token, on: worker)
        let records = try ReviewRecord.load(claimed.map(\.key), on: worker)
        let verdicts = claimed.map { work in
            ReviewVerdict(work: work, review: records[work.key], outcome: .scored(probability: 0.8, aspects: []))
        }
        let before = try sequentialScans()
        let outcome = try store.apply(verdicts, token: token, on: worker)
        let after = try sequentialScans()

        #expect(outcome.completed.count == 100)
        #expect(outcome.customersRecomputed == 100)
        #expect(before.count == 2)
        #expect(after == before, "sequential scans of the score and state tables during the write")
    }
}
