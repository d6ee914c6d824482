import Foundation
import OndoServer
import TestSupport

/// The shop the rescore tests start from: reviews 1…`reviews` by `customers` customers (ids 1…), all finished as if
/// an earlier model had scored them (completed work rows, no score from the current model), so that
/// `ondo reviews rescore` re-queues every one; and the configuration of an `ondo_app` process with the shipped model.
enum RescoreFixture {
    static func shop(_ db: TestDatabase, reviews: Int, customers: Int) async throws -> OndoConfiguration {
        try await db.withConnection(as: .shop) { shop in
            try shop.execute(
                """
                INSERT INTO shop.customers (id, name) SELECT id, '고객 ' || id FROM generate_series(1, \(customers)) AS id
                """)
            try shop.execute(
                "INSERT INTO shop.products (id, sku, name, category, price) VALUES (1, 'SKU-1', '셔츠', '의류', 30000)")
            try shop.execute(
                """
                INSERT INTO shop.reviews (id, customer_id, product_id, rating, body)
                SELECT id, 1 + id % \(customers), 1, 5, '재구매 의사 있어요 최고 ' || id
                FROM generate_series(1, \(reviews)) AS id
                """)
        }
        try await db.withConnection { admin in
            try admin.execute("UPDATE crm.review_work SET status = 'completed', completed_at = now()")
        }
        var environment = db.environment(as: .app)
        environment["ONDO_SENTIMENT_MODEL"] = PipelineHarness.modelPath
        return try OndoConfiguration.load(environment: environment)
    }
}
