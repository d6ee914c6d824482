import Foundation
import Postgres
import TestSupport
import Testing

/// RELIABILITY.md B3 and the shop contract: plainly invalid rows fail with named constraints, nothing partial is
/// written; valid rows that Ondo cannot use yet are accepted.
@Suite struct ShopContractTests {
    private func counts(_ db: TestDatabase) async throws -> (reviews: Int, work: Int) {
        try await db.withConnection { admin in
            (
                try admin.queryValue(Int.self, "SELECT count(*) FROM shop.reviews"),
                try admin.queryValue(Int.self, "SELECT count(*) FROM crm.review_work")
            )
        }
    }

    @Test func invalidReviewsFailWithNamedConstraintsAndWriteNothing() async throws {
        let db = try await TestPostgres.shared.freshDatabase("ShopContract")
        let before = try await counts(db)
        let tooLong = String(repeating: "가", count: 10_001)
        let errors = try await db.withConnection(as: .shop) { shop in
            [
                postgresError {
                    try shop.execute(
                        "INSERT INTO shop.reviews (customer_id, product_id, rating, body) VALUES (1, 1, \(7), 'x')")
                },
                postgresError {
                    try shop.execute(
                        "INSERT INTO shop.reviews (customer_id, product_id, rating, body) VALUES (1, 1, \(0), 'x')")
                },
                postgresError {
                    try shop.execute(
                        "INSERT INTO shop.reviews (customer_id, product_id, body) VALUES (1, 1, \(tooLong))")
                },
                postgresError {
                    try shop.execute("INSERT INTO shop.reviews (customer_id, product_id, body) VALUES (1, 1, NULL)")
                },
                postgresError {
                    try shop.execute("INSERT INTO shop.reviews (customer_id, product_id, body) VALUES (NULL, 1, 'x')")
                },
            ]
        }
        #expect(errors[0]?.sqlState == PostgresError.SQLState.checkViolation)
        #expect(errors[0]?.constraint == "reviews_rating_range")
        #expect(errors[0]?.description.contains("reviews_rating_range") == true)
        #expect(errors[1]?.constraint == "reviews_rating_range")
        #expect(errors[2]?.constraint == "reviews_body_length")
        #expect(errors[3]?.sqlState == PostgresError.SQLState.notNullViolation)
        #expect(errors[3]?.column == "body")
        #expect(errors[4]?.column == "customer_id")
        let after = try await counts(db)
        #expect(after.reviews == before.reviews)
        #expect(after.work == before.work)
    }

    @Test func validButUnusableRowsAreAccepted() async throws {
        let db = try await TestPostgres.shared.freshDatabase("ShopContract")
        let atLimit = String(repeating: "가", count: 10_000)
        let outcomes = try await db.withConnection(as: .shop) { shop in
            [
                sqlState {
                    try shop.execute(
                        "INSERT INTO shop.reviews (id, customer_id, product_id, body) VALUES (77, 999999, 888888, '')")
                },
                sqlState {
                    try shop.execute(
                        "INSERT INTO shop.reviews (customer_id, product_id, rating, body) VALUES (1, 1, NULL, \(atLimit))"
                    )
                },
                sqlState {
                    try shop.execute(
                        "INSERT INTO shop.reviews (customer_id, product_id, rating, body) VALUES (1, 1, 5, '   ')")
                },
                sqlState {
                    try shop.execute(
                        "INSERT INTO shop.orders (customer_id, total, status) VALUES (424242, 0, 'pending_payment')")
                },
            ]
        }
        #expect(outcomes == [nil, nil, nil, nil])
        #expect(try await counts(db).work == 3)
    }

    @Test func otherShopConstraintsAreNamed() async throws {
        let db = try await TestPostgres.shared.database("ShopContract")
        let constraints = try await db.withConnection(as: .shop) { shop in
            [
                postgresError { try shop.execute("INSERT INTO shop.products (sku, price) VALUES ('A', \(-1))") }?
                    .constraint,
                postgresError {
                    try shop.execute("INSERT INTO shop.order_items (order_id, product_id, quantity) VALUES (1, 1, 0)")
                }?.constraint,
                postgresError { try shop.execute("INSERT INTO shop.orders (customer_id, total) VALUES (1, \(-5))") }?
                    .constraint,
                postgresError {
                    try shop.execute(
                        "INSERT INTO shop.reviews (id, customer_id, product_id, body) VALUES (9, 1, 1, 'a')")
                    try shop.execute(
                        "INSERT INTO shop.reviews (id, customer_id, product_id, body) VALUES (9, 1, 1, 'b')")
                }?.constraint,
            ]
        }
        #expect(
            constraints == [
                "products_price_nonnegative", "order_items_quantity_positive", "orders_total_nonnegative",
                "reviews_pkey",
            ])
    }

    /// Migration 0014: money that is not a number, and times before 1900 or from year 10000 on (BC dates,
    /// infinity), fail the shop's statement with named constraints; the ordinary range still passes.
    @Test func notANumberAndImplausibleTimesAreRefused() async throws {
        let db = try await TestPostgres.shared.database("ShopContract")
        let constraints = try await db.withConnection(as: .shop) { shop in
            [
                postgresError { try shop.execute("INSERT INTO shop.products (sku, price) VALUES ('N', 'NaN')") }?
                    .constraint,
                postgresError { try shop.execute("INSERT INTO shop.orders (customer_id, total) VALUES (1, 'NaN')") }?
                    .constraint,
                postgresError {
                    try shop.execute(
                        "INSERT INTO shop.order_items (order_id, product_id, quantity, unit_price) VALUES (1, 1, 1, 'NaN')"
                    )
                }?.constraint,
                postgresError {
                    try shop.execute(
                        "INSERT INTO shop.customers (id, name, created_at) VALUES (901, 'x', '0044-03-15 BC')")
                }?.constraint,
                postgresError {
                    try shop.execute("INSERT INTO shop.products (sku, created_at) VALUES ('I', 'infinity')")
                }?.constraint,
                postgresError {
                    try shop.execute(
                        "INSERT INTO shop.orders (customer_id, ordered_at) VALUES (1, '1899-12-31 23:59:59+00')")
                }?.constraint,
                postgresError {
                    try shop.execute(
                        "INSERT INTO shop.reviews (customer_id, product_id, body, created_at) VALUES (1, 1, 'x', '-infinity')"
                    )
                }?.constraint,
            ]
        }
        #expect(
            constraints == [
                "products_price_is_number", "orders_total_is_number", "order_items_unit_price_is_number",
                "customers_created_at_plausible", "products_created_at_plausible", "orders_ordered_at_plausible",
                "reviews_created_at_plausible",
            ])
        try await db.withConnection(as: .shop) { shop in
            try shop.execute(
                "INSERT INTO shop.orders (customer_id, ordered_at, total) VALUES (1, '1900-01-01 00:00:00+00', 0)")
            try shop.execute(
                "INSERT INTO shop.reviews (customer_id, product_id, body, created_at) VALUES (1, 1, 'x', '9999-12-31 23:59:59+00')"
            )
        }
    }
}
