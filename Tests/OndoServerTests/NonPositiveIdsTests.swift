import Foundation
import OndoServer
import Postgres
import TestSupport
import Testing

/// The shop may write ids of 0 and below (the contract's ids are any bigint), and the operator commands that walk
/// a table in id order reach them: `ondo states recompute` and `ondo reviews rescore` started their walks after id
/// 0, so such customers were never assessed ("recomputed 0 customer states" for a shop whose only new customer
/// was -5) and such reviews never re-scored.
@Suite struct NonPositiveIdsTests {
    @Test func statesRecomputeAssessesCustomersWithIdsOfZeroAndBelow() async throws {
        let db = try await TestPostgres.shared.freshDatabase("RecomputeNonPositiveIds")
        try await db.withConnection(as: .shop) { shop in
            try shop.execute("INSERT INTO shop.customers (id, name) VALUES (-5, '가'), (0, '나'), (3, '다')")
        }
        let configuration = try OndoConfiguration.load(environment: db.environment(as: .app))
        let operations = try Operations(configuration: configuration, logger: TestPostgres.logger)
        let report = try await operations.recomputeStates(all: false) { _ in }
        await operations.close()
        #expect(report.recomputed == 3, "\(report)")
        let assessed = try await db.withConnection { admin in
            try admin.query("SELECT customer_id FROM crm.customer_state ORDER BY 1").map {
                try $0.decode(Int64.self, "customer_id")
            }
        }
        #expect(assessed == [-5, 0, 3])
    }

    @Test func reviewsRescoreReScoresReviewsWithIdsOfZeroAndBelow() async throws {
        let db = try await TestPostgres.shared.freshDatabase("RescoreNonPositiveIds")
        try await db.withConnection(as: .shop) { shop in
            try shop.execute("INSERT INTO shop.customers (id, name) VALUES (1, '가')")
            try shop.execute(
                "INSERT INTO shop.products (id, sku, name, category, price) VALUES (1, 'SKU-1', '셔츠', '의류', 30000)")
            try shop.execute(
                """
                INSERT INTO shop.reviews (id, customer_id, product_id, rating, body)
                VALUES (-7, 1, 1, 5, '재구매 의사 있어요'), (0, 1, 1, 5, '좋아요'), (8, 1, 1, 1, '별로예요')
                """)
        }
        try await db.withConnection { admin in
            try admin.execute("UPDATE crm.review_work SET status = 'completed', completed_at = now()")
        }
        var environment = db.environment(as: .app)
        environment["ONDO_SENTIMENT_MODEL"] = PipelineHarness.modelPath
        let operations = try Operations(
            configuration: OndoConfiguration.load(environment: environment), logger: TestPostgres.logger)
        let outcome = try await operations.rescore(since: nil, everyReview: true) { _ in }
        await operations.close()
        #expect(outcome.requeued == 3, "\(outcome)")
        let scored = try await db.withConnection { admin in
            try admin.query("SELECT DISTINCT review_id FROM crm.review_sentiment ORDER BY 1").map {
                try $0.decode(Int64.self, "review_id")
            }
        }
        #expect(scored == [-7, 0, 8])
    }
}
