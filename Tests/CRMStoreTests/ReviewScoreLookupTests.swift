@testable import CRMStore
import Foundation
import Postgres
import TestSupport
import Testing

/// Which score a recompute reads for a review scored by several models: the preferred model's, else the newest.
@Suite struct ReviewScoreLookupTests {
    @Test func thePreferredModelsScoreWinsAndOtherwiseTheNewest() async throws {
        let db = try await TestPostgres.shared.database("ReviewScoreLookup")
        let ids = try await db.withConnection(as: .shop) { shop in
            try shop.execute(
                "INSERT INTO shop.customers (id, name, created_at) VALUES (77, '가나', now() - interval '90 days')")
            try shop.execute(
                "INSERT INTO shop.products (id, sku, name, category, price) VALUES (5, 'SKU-5', '셔츠', 'clothing', 30000)"
            )
            return try shop.query(
                """
                INSERT INTO shop.reviews (customer_id, product_id, rating, body, created_at)
                SELECT 77, 5, 4, '리뷰 ' || i, now() - i * interval '1 day' FROM generate_series(1, 4) AS i
                RETURNING id
                """
            ).map { try $0.decode(Int64.self, "id") }.sorted()
        }
        let (both, othersOnly, none, preferredOnly) = (ids[0], ids[1], ids[2], ids[3])
        try await db.withConnection(as: .admin) { admin in
            try admin.execute(
                """
                INSERT INTO crm.review_sentiment
                    (review_id, model_version, customer_id, product_id, revision, probability, label, aspects, scored_at)
                VALUES (\(both), 'preferred', 77, 5, 1, 0.9, 'positive', '{quality}', now() - interval '2 hours'),
                       (\(both), 'other', 77, 5, 1, 0.1, 'negative', '{delivery}', now() - interval '1 hour'),
                       (\(othersOnly), 'old', 77, 5, 1, 0.2, 'negative', '{price}', now() - interval '3 hours'),
                       (\(othersOnly), 'new', 77, 5, 1, 0.7, 'positive', '{}', now() - interval '1 hour'),
                       (\(preferredOnly), 'preferred', 77, 5, 1, 0.3, 'negative', '{size}', now())
                """)
        }
        typealias Score = ReviewScoreLookup.Score
        // The score column is a `real`: what it holds of 0.9 is Float(0.9).
        func stored(_ probability: Float) -> Double { Double(probability) }
        let (preferring, preferringNone, facts) = try await db.withConnection(as: .app) { connection in
            let all = [both, othersOnly, none, preferredOnly]
            let facts = try CustomerFactsQuery(reviewWindowDays: 365, preferredModelVersion: "preferred")
                .load([77], at: Date(), on: connection)
            return (
                try ReviewScoreLookup(preferredModelVersion: "preferred").scores(of: all, on: connection),
                try ReviewScoreLookup(preferredModelVersion: nil).scores(of: all, on: connection), facts
            )
        }
        #expect(
            preferring == [
                both: Score(probability: stored(0.9), aspects: ["quality"]),
                othersOnly: Score(probability: stored(0.7), aspects: []),
                preferredOnly: Score(probability: stored(0.3), aspects: ["size"]),
            ])
        #expect(
            preferringNone == [
                both: Score(probability: stored(0.1), aspects: ["delivery"]),
                othersOnly: Score(probability: stored(0.7), aspects: []),
                preferredOnly: Score(probability: stored(0.3), aspects: ["size"]),
            ])
        // The facts carry the same scores, newest review first, and an unscored review without one.
        let reviews = try #require(facts[77]?.reviews)
        #expect(reviews.map(\.reviewId) == [both, othersOnly, none, preferredOnly])
        #expect(reviews.map(\.probability) == [stored(0.9), stored(0.7), nil, stored(0.3)])
        #expect(reviews.map(\.aspects) == [["quality"], [], [], ["size"]])
    }
}
