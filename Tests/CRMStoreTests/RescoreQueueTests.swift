@testable import CRMStore
import Foundation
import Postgres
import TestSupport
import Testing

/// `ondo reviews rescore`'s re-queueing walk (`RescoreQueue`).
@Suite struct RescoreQueueTests {
    /// The walk re-queues the queue in chunks of consecutive ids. Each chunk's UPDATE named its ids with `= ANY`
    /// alone, and the planner read the whole queue and the reviews for every chunk: on 500,000 reviews 130 ms a
    /// chunk and 15 s for a `--since` that re-queued nothing. The plan's own row counts show the chunk is now read
    /// by its range, not a clock.
    @Test func aChunkReadsItsOwnRowsNotTheWholeQueue() async throws {
        let db = try await TestPostgres.shared.freshDatabase("RescoreQueueChunkRange")
        let reviews = 20_000
        let chunk = Array(Int64(10_001)...Int64(10_400))
        try await db.withConnection(as: .shop) { shop in
            try shop.execute(
                """
                INSERT INTO shop.reviews (id, customer_id, product_id, rating, body, created_at)
                SELECT g, g % 2000 + 1, 1, 1 + g % 5, '좋아요', timestamptz '2026-01-01' + g * interval '1 minute'
                FROM generate_series(1, \(reviews)) AS g
                """)
        }
        try await db.withConnection(as: .app) { app in
            try app.execute("UPDATE crm.review_work SET status = 'completed', completed_at = now()")
            try app.execute(
                """
                INSERT INTO crm.review_sentiment (review_id, model_version, customer_id, product_id, revision,
                                                  probability, label)
                SELECT r.id, 'm1', r.customer_id, 1, 1, 0.9, 'positive' FROM shop.reviews AS r
                """)
        }
        try await db.withConnection(as: .admin) { admin in
            try admin.execute("ANALYZE shop.reviews")
            try admin.execute("ANALYZE crm.review_work")
            try admin.execute("ANALYZE crm.review_sentiment")
        }
        let since = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01, before every review
        let selection = RescoreQueue.Selection(since: since, missingModelVersion: "m2")
        let (plan, pending) = try await db.withConnection(as: .app) { app in
            let plan = try app.queryValue(
                String.self,
                "EXPLAIN (ANALYZE, FORMAT JSON) " + RescoreQueue.requeueStatement(chunk, selection))
            let pending = try app.queryValue(
                [Int64].self,
                "SELECT coalesce(array_agg(review_id ORDER BY review_id), '{}') FROM crm.review_work WHERE status = 'pending'"
            )
            return (plan, pending)
        }
        #expect(pending == chunk, "the chunk's reviews, and only they, are queued again")

        func rowsRead(from table: String, _ node: Any) -> Double {
            guard let node = node as? [String: Any] else { return 0 }
            var read = 0.0
            if node["Relation Name"] as? String == table {
                read += (node["Actual Rows"] as? Double ?? 0) * (node["Actual Loops"] as? Double ?? 0)
                read += (node["Rows Removed by Filter"] as? Double ?? 0) * (node["Actual Loops"] as? Double ?? 0)
            }
            for child in node["Plans"] as? [Any] ?? [] { read += rowsRead(from: table, child) }
            return read
        }
        let root = (try JSONSerialization.jsonObject(with: Data(plan.utf8)) as? [[String: Any]])?.first?["Plan"] as Any
        for table in ["review_work", "reviews"] {
            let read = rowsRead(from: table, root)
            #expect(read <= Double(2 * chunk.count), "\(table): \(read) rows read for a chunk of \(chunk.count)")
        }
    }
}
