import Postgres
import TestSupport
import Testing

/// What analysts read through the `report` views.
@Suite struct ReportViewTests {
    @Test func reviewScoresShowTheReviewsOwnCustomerAndProduct() async throws {
        let db = try await TestPostgres.shared.database("ReportViews")
        try await db.withConnection(as: .shop) { shop in
            try shop.execute(
                "INSERT INTO shop.products (id, name, category) VALUES (3, '운동화', 'shoes'), (2, '모자', 'hats')")
            try shop.execute(
                "INSERT INTO shop.reviews (id, customer_id, product_id, rating, body) VALUES (9001, 61, 3, 5, '편해요')")
        }
        // A score whose copies of the customer and product are stale (the review moved before migration 0010).
        try await db.withConnection(as: .app) { app in
            try app.execute(
                """
                INSERT INTO crm.review_sentiment (review_id, model_version, customer_id, product_id, revision, probability, label)
                VALUES (9001, 'm1', 60, 2, 1, 0.9, 'positive')
                """)
        }
        let row = try await db.withConnection(as: .report) { report in
            try report.query(
                "SELECT customer_id, product_id, category FROM report.review_scores WHERE review_id = 9001"
            )
            .map {
                "\(try $0.decode(Int64.self, "customer_id"))/\(try $0.decode(Int64.self, "product_id"))/\(try $0.decode(String.self, "category"))"
            }
        }
        #expect(row == ["61/3/shoes"])
    }
}
