import CRMStore
import Foundation
import Postgres
import TestSupport
import Testing

/// `ondo customer show`'s look-up of one customer.
@Suite struct CustomerDirectoryTests {
    /// A review scored by two models (an operator went back to an older model without re-scoring) showed the newest
    /// score while the state engine, which prefers the configured model's, assessed the customer on the other one:
    /// a review shown as positive could be the one a `negative_review` reason names.
    @Test func aReviewShowsTheScoreOfThePreferredModel() async throws {
        let db = try await TestPostgres.shared.database("CustomerDirectoryModels")
        try await db.withConnection(as: .shop) { shop in
            try shop.execute("INSERT INTO shop.customers (id, name) VALUES (7101, '고객')")
            try shop.execute("INSERT INTO shop.products (id, name, category) VALUES (7101, '가방', 'bags')")
            try shop.execute(
                """
                INSERT INTO shop.reviews (id, customer_id, product_id, rating, body) VALUES (7101, 7101, 7101, 2, '별로')
                """)
        }
        try await db.withConnection(as: .app) { app in
            try app.execute(
                """
                INSERT INTO crm.review_sentiment
                    (review_id, model_version, customer_id, product_id, revision, probability, label, scored_at)
                VALUES (7101, 'configured', 7101, 7101, 1, 0.1, 'negative', now() - interval '1 hour'),
                       (7101, 'newer', 7101, 7101, 1, 0.9, 'positive', now())
                """)
        }
        func shownProbability(preferring model: String?) async throws -> Double? {
            try await db.withConnection(as: .app) { app in
                try CustomerDirectory(preferredModelVersion: model).profile(7101, on: app)?.reviews.first?.probability
            }
        }
        let preferred = try #require(try await shownProbability(preferring: "configured"))
        #expect(abs(preferred - 0.1) < 1e-6)
        let newest = try #require(try await shownProbability(preferring: nil))
        #expect(abs(newest - 0.9) < 1e-6, "without a preference, the newest score")
        let unknown = try #require(try await shownProbability(preferring: "never-scored-anything"))
        #expect(abs(unknown - 0.9) < 1e-6, "a preferred model without a score here: the newest")
    }
}
