import Foundation
import Postgres
import TestSupport
import Testing

/// What analysts read through the `report` views.
@Suite struct ReportViewTests {
    /// Migration 0021: customer work given up after its last attempt, with its error, as analysts read it.
    @Test func discardedCustomerWorkListsTheCustomerWithItsError() async throws {
        let db = try await TestPostgres.shared.freshDatabase("ReportDiscardedCustomers")
        try await db.withConnection(as: .shop) { shop in
            try shop.execute("INSERT INTO shop.customers (id, name) VALUES (7, 'a'), (8, 'b'), (9, 'c')")
        }
        try await db.withConnection(as: .app) { app in
            try app.execute(
                """
                UPDATE crm.customer_work SET status = 'discarded', attempts = 5, last_error = 'last_order_at: no BC dates',
                    updated_at = '2026-11-01 09:00:00+00'
                WHERE customer_id = 8
                """)
            try app.execute(
                "UPDATE crm.customer_work SET status = 'completed', completed_at = now() WHERE customer_id = 9")
        }
        let (rows, comment) = try await db.withConnection(as: .report) { report in
            let rows = try report.query(
                "SELECT customer_id, attempts, last_error, discarded_at FROM report.discarded_customer_work"
            ).map {
                "\(try $0.decode(Int64.self, "customer_id"))/\(try $0.decode(Int.self, "attempts"))/"
                    + "\(try $0.decode(String?.self, "last_error") ?? "-")/"
                    + "\(Int(try $0.decode(Date.self, "discarded_at").timeIntervalSince1970))"
            }
            let comment = try report.queryValue(
                String?.self, "SELECT obj_description('report.discarded_customer_work'::regclass, 'pg_class')")
            return (rows, comment)
        }
        // Only the discarded customer: not 7 (pending) or 9 (completed).
        #expect(rows == ["8/5/last_order_at: no BC dates/1793523600"])
        #expect(comment?.contains("ondo states retry") == true, "\(comment ?? "no comment")")
    }

    /// The views of failed work hide the rows still being retried, but a cheap function of the reader's own (in
    /// pg_temp, which PostgreSQL lets every connecting role create) was evaluated before the view's filter and saw
    /// their errors. Migration 0023 makes these views security barriers.
    @Test func failedWorkViewsShowNoHiddenRowToTheReadersFunctions() async throws {
        let db = try await TestPostgres.shared.freshDatabase("ReportLeakyFunction")
        try await db.withConnection(as: .shop) { shop in
            try shop.execute("INSERT INTO shop.customers (id, name) VALUES (7, 'a'), (8, 'b')")
            try shop.execute("INSERT INTO shop.products (id, name) VALUES (1, 'p')")
            try shop.execute(
                """
                INSERT INTO shop.reviews (id, customer_id, product_id, rating, body)
                VALUES (1, 7, 1, 5, 'x'), (2, 8, 1, 5, 'y')
                """)
        }
        try await db.withConnection(as: .app) { app in
            let failures: [PostgresQuery] = [
                "UPDATE crm.customer_work SET status = 'discarded', attempts = 5, last_error = 'shown' WHERE customer_id = 8",
                "UPDATE crm.review_work SET status = 'discarded', attempts = 5, last_error = 'shown' WHERE customer_id = 8",
                "UPDATE crm.customer_work SET attempts = 2, last_error = 'hidden retrying error' WHERE customer_id = 7",
                "UPDATE crm.review_work SET attempts = 2, last_error = 'hidden retrying error' WHERE customer_id = 7",
            ]
            for statement in failures { try app.execute(statement) }
        }
        let seen = try await db.withConnection(as: .report) { report in
            try report.execute("CREATE TEMP TABLE seen (error text)")
            try report.execute(
                """
                CREATE FUNCTION pg_temp.peek(error text) RETURNS boolean LANGUAGE plpgsql COST 0.0000001 AS $$
                BEGIN INSERT INTO seen VALUES (error); RETURN true; END $$
                """)
            try report.execute("SELECT * FROM report.discarded_reviews WHERE pg_temp.peek(last_error)")
            try report.execute("SELECT * FROM report.discarded_customer_work WHERE pg_temp.peek(last_error)")
            return try report.query("SELECT error FROM seen ORDER BY error").map {
                try $0.decode(String?.self, "error")
            }
        }
        #expect(seen == ["shown", "shown"], "the reader's function saw: \(seen)")
    }

    /// report.review_scores shows a review's newest score only, but a reader's cheap function in a WHERE clause was
    /// evaluated on every score row before the view's filter and saw the older ones (0.12 from model m1 here).
    /// Migration 0029 makes the view a security barrier.
    @Test func reviewScoresShowNoOlderScoreToTheReadersFunctions() async throws {
        let db = try await TestPostgres.shared.freshDatabase("ReportScoresLeakyFunction")
        try await db.withConnection(as: .shop) { shop in
            try shop.execute("INSERT INTO shop.customers (id, name) VALUES (7, 'a')")
            try shop.execute("INSERT INTO shop.products (id, name) VALUES (1, 'p')")
            try shop.execute(
                "INSERT INTO shop.reviews (id, customer_id, product_id, rating, body) VALUES (1, 7, 1, 5, 'x')")
        }
        try await db.withConnection(as: .app) { app in
            try app.execute(
                """
                INSERT INTO crm.review_sentiment (review_id, model_version, customer_id, product_id, revision, probability, label, scored_at)
                VALUES (1, 'm1', 7, 1, 1, 0.12, 'negative', now() - interval '1 day'),
                       (1, 'm2', 7, 1, 1, 0.93, 'positive', now())
                """)
        }
        let seen = try await db.withConnection(as: .report) { report in
            try report.execute("CREATE TEMP TABLE seen (probability float8)")
            try report.execute(
                """
                CREATE FUNCTION pg_temp.peek(probability float8) RETURNS boolean LANGUAGE plpgsql COST 0.0000001 AS $$
                BEGIN INSERT INTO seen VALUES (probability); RETURN true; END $$
                """)
            try report.execute("SELECT * FROM report.review_scores WHERE pg_temp.peek(probability)")
            return try report.query("SELECT probability FROM seen ORDER BY probability").map {
                try $0.decode(Double.self, "probability")
            }
        }
        // Scores are stored as real: 0.93 reads back as 0.9300000071525574.
        #expect(seen.map { ($0 * 100).rounded() } == [93], "the reader's function saw: \(seen)")
    }

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

    /// An analyst's `WHERE customer_id = …` on `report.review_scores`: the view took each review's newest score with
    /// DISTINCT ON, which PostgreSQL cannot filter before it has read and sorted every score row (0.8 s for one
    /// customer on 500,000 scores). Migration 0026 filters first; the plan's own row counts show it, not a clock.
    @Test func reviewScoresOfOneCustomerReadThatCustomersScoresOnly() async throws {
        let db = try await TestPostgres.shared.freshDatabase("ReportScoresOfOneCustomer")
        let customers = 400
        let reviewsPerCustomer = 5
        try await db.withConnection(as: .shop) { shop in
            try shop.execute("INSERT INTO shop.products (id, sku, name, category) VALUES (1, 'P1', '운동화', 'shoes')")
            try shop.execute(
                """
                INSERT INTO shop.reviews (id, customer_id, product_id, rating, body)
                SELECT g, (g - 1) / \(reviewsPerCustomer) + 1, 1, 1 + g % 5, '좋아요'
                FROM generate_series(1, \(customers * reviewsPerCustomer)) AS g
                """)
        }
        try await db.withConnection(as: .app) { app in
            // Every review scored by model m1; customer 7's first review scored again later by m2, and its second by
            // m0 and m9 at the same moment (the greater model version wins the tie).
            try app.execute(
                """
                INSERT INTO crm.review_sentiment (review_id, model_version, customer_id, product_id, revision,
                                                  probability, label, scored_at)
                SELECT r.id, 'm1', r.customer_id, 1, 1, 0.9, 'positive', '2026-01-01 00:00:00+00'
                FROM shop.reviews AS r
                """)
            try app.execute(
                """
                INSERT INTO crm.review_sentiment (review_id, model_version, customer_id, product_id, revision,
                                                  probability, label, scored_at)
                VALUES (31, 'm2', 7, 1, 1, 0.1, 'negative', '2026-02-01 00:00:00+00'),
                       (32, 'm0', 7, 1, 1, 0.2, 'negative', '2026-03-01 00:00:00+00'),
                       (32, 'm9', 7, 1, 1, 0.3, 'negative', '2026-03-01 00:00:00+00')
                """)
        }
        try await db.withConnection(as: .admin) { admin in
            try admin.execute("ANALYZE shop.reviews")
            try admin.execute("ANALYZE crm.review_sentiment")
        }
        let (plan, rows) = try await db.withConnection(as: .report) { report in
            let plan = try report.queryValue(
                String.self, "EXPLAIN (ANALYZE, FORMAT JSON) SELECT * FROM report.review_scores WHERE customer_id = 7")
            let rows = try report.query(
                "SELECT review_id, model_version FROM report.review_scores WHERE customer_id = 7 ORDER BY review_id"
            ).map { "\(try $0.decode(Int64.self, "review_id")):\(try $0.decode(String.self, "model_version"))" }
            return (plan, rows)
        }
        #expect(rows == ["31:m2", "32:m9", "33:m1", "34:m1", "35:m1"])
        let root = try JSONSerialization.jsonObject(with: Data(plan.utf8)) as? [[String: Any]]
        let read = Self.scoreRowsRead(root?.first?["Plan"] as Any)
        // Customer 7 has 7 score rows, each read once as a score and once as a possibly newer one; all of them are
        // 2,003.
        #expect(read <= 4 * 7, "score rows read for one customer: \(read) of \(customers * reviewsPerCustomer + 3)")
    }

    /// Rows a plan (EXPLAIN ANALYZE's JSON) read from crm.review_sentiment, over all its scans and loops.
    static func scoreRowsRead(_ node: Any) -> Double {
        guard let node = node as? [String: Any] else { return 0 }
        var read = 0.0
        if node["Relation Name"] as? String == "review_sentiment" {
            read += (node["Actual Rows"] as? Double ?? 0) * (node["Actual Loops"] as? Double ?? 0)
        }
        for child in node["Plans"] as? [Any] ?? [] { read += scoreRowsRead(child) }
        return read
    }

    /// `report.product_insight` is meant for analysts on millions of reviews. Its top complaints came from a
    /// correlated subquery that rebuilt every review's current score (`report.review_scores`, a DISTINCT ON over
    /// all score rows) once per product; the view now reads the score rows a fixed number of times, whatever the
    /// number of products. The plan's own row counts show it, not a clock.
    @Test func productInsightReadsTheScoresOnceNotOncePerProduct() async throws {
        let db = try await TestPostgres.shared.freshDatabase("ReportInsightScan")
        let products = 6
        let reviewsPerProduct = 4
        try await db.withConnection(as: .shop) { shop in
            try shop.execute(
                """
                INSERT INTO shop.products (id, sku, name, category)
                SELECT g, 'P' || g, '상품 ' || g, 'cat' FROM generate_series(1, \(products + 1)) AS g
                """)
            try shop.execute(
                """
                INSERT INTO shop.reviews (id, customer_id, product_id, rating, body)
                SELECT g, 1, (g - 1) / \(reviewsPerProduct) + 1, 1 + g % 5, '배송이 늦어요'
                FROM generate_series(1, \(products * reviewsPerProduct)) AS g
                """)
        }
        try await db.withConnection(as: .app) { app in
            // Each product: four negative reviews, three naming delivery and quality, one naming price; product 7 has
            // no review at all.
            try app.execute(
                """
                INSERT INTO crm.review_sentiment (review_id, model_version, customer_id, product_id, revision,
                                                  probability, label, aspects)
                SELECT r.id, 'm1', 1, r.product_id, 1, 0.1, 'negative',
                       CASE WHEN (r.id - 1) % \(reviewsPerProduct) = 0 THEN '{price}'::text[] ELSE '{delivery,quality}' END
                FROM shop.reviews AS r
                """)
        }
        let (plan, complaints) = try await db.withConnection(as: .report) { report in
            let plan = try report.queryValue(
                String.self, "EXPLAIN (ANALYZE, FORMAT JSON) SELECT * FROM report.product_insight")
            let complaints = try report.query(
                "SELECT product_id, top_complaints FROM report.product_insight ORDER BY product_id"
            ).map {
                "\(try $0.decode(Int64.self, "product_id")):\(try $0.decode([String]?.self, "top_complaints") ?? [])"
            }
            return (plan, complaints)
        }
        #expect(
            complaints == (1...products).map { "\($0):[\"delivery\", \"quality\", \"price\"]" } + ["7:[]"],
            "top complaints unchanged")

        let root = try JSONSerialization.jsonObject(with: Data(plan.utf8)) as? [[String: Any]]
        let read = Self.scoreRowsRead(root?.first?["Plan"] as Any)
        let scoreRows = Double(products * reviewsPerProduct)
        #expect(read >= scoreRows, "the plan was read: \(read) score rows")
        // The view reads the scores twice (counts, complaints), and since migration 0026 each read also looks for a
        // newer score of every review: at most four passes over the score rows, where the old plan made one per
        // product (seven here).
        #expect(
            read <= 4 * scoreRows, "score rows read: \(read) for \(Int(scoreRows)) rows and \(products + 1) products")
    }

    /// A review dated ahead of the database's clock (the contract accepts times up to year 10,000) counted in "the
    /// last 30 days" for as long as its date lay ahead. Since migration 0028 it counts once its time comes, as in the
    /// state rules: up to 5 minutes ahead counts at once.
    @Test func lastThirtyDaysLeaveOutReviewsDatedAhead() async throws {
        let db = try await TestPostgres.shared.freshDatabase("ReportFutureReviews")
        try await db.withConnection(as: .shop) { shop in
            try shop.execute("INSERT INTO shop.products (id, sku, name, category) VALUES (1, 'P1', '우산', 'rain')")
            // A positive review of yesterday, a negative one 2 minutes ahead (clock skew), and two negative ones a
            // year ahead and in year 9999.
            try shop.execute(
                """
                INSERT INTO shop.reviews (id, customer_id, product_id, rating, body, created_at) VALUES
                    (1, 1, 1, 5, '좋아요', now() - interval '1 day'),
                    (2, 1, 1, 1, '새요', now() + interval '2 minutes'),
                    (3, 1, 1, 1, '새요', now() + interval '1 year'),
                    (4, 1, 1, 1, '새요', '9999-12-31 00:00:00+00')
                """)
        }
        try await db.withConnection(as: .app) { app in
            try app.execute(
                """
                INSERT INTO crm.review_sentiment (review_id, model_version, customer_id, product_id, revision,
                                                  probability, label, aspects)
                SELECT r.id, 'm1', 1, 1, 1, CASE WHEN r.id = 1 THEN 0.9 ELSE 0.1 END,
                       CASE WHEN r.id = 1 THEN 'positive' ELSE 'negative' END,
                       CASE WHEN r.id = 1 THEN '{}'::text[] ELSE '{durability}' END
                FROM shop.reviews AS r
                """)
        }
        let (insight, complaints) = try await db.withConnection(as: .report) { report in
            let insight = try report.query(
                "SELECT reviews, negative_rate, negative_rate_last_30_days FROM report.product_insight"
            ).map {
                "\(try $0.decode(Int64.self, "reviews")) \(try $0.decode(Double?.self, "negative_rate") ?? -1) "
                    + "\(try $0.decode(Double?.self, "negative_rate_last_30_days") ?? -1)"
            }
            let complaints = try report.query(
                "SELECT negative_reviews, negative_reviews_last_30_days FROM report.product_complaints"
            ).map {
                "\(try $0.decode(Int64.self, "negative_reviews")) \(try $0.decode(Int64.self, "negative_reviews_last_30_days"))"
            }
            return (insight, complaints)
        }
        // All four count overall; in the last 30 days only yesterday's and the one 2 minutes ahead (0.75 and 3
        // before).
        #expect(insight == ["4 0.75 0.5"])
        #expect(complaints == ["3 1"])
    }
}
