import Foundation
import Postgres
import TestSupport
import Testing

/// `ondo generate --live` on shops it cannot add live traffic to: refused in a sentence, not played against.
@Suite struct GenerateLiveRefusalTests {
    static func generate(_ arguments: [String], into db: TestDatabase) async throws -> OndoExecutable.Outcome {
        try await OndoExecutable.run(["generate"] + arguments, environment: db.environment(as: .admin))
    }

    static func count(_ table: String, in db: TestDatabase) async throws -> Int {
        try await db.withConnection { try $0.queryValue(Int.self, "SELECT count(*) FROM shop.\(identifier: table)") }
    }

    /// A shop with customers and no products (`ondo generate --products 0`): live orders named products the shop
    /// does not have, and every live review was quarantined (unknown_product). `ondo demo` refuses such a shop;
    /// `ondo generate --live` now does too, before writing anything.
    @Test func aShopWithoutProductsIsRefusedBeforeAnythingIsWritten() async throws {
        let db = try await TestPostgres.shared.freshDatabase("GenerateLiveNoProducts")
        try await db.withConnection { connection in
            try connection.execute(
                "INSERT INTO shop.customers (id, name, created_at) SELECT g, 'c' || g, now() - interval '3 days' FROM generate_series(1, 3) AS g"
            )
        }
        let outcome = try await Self.generate(["--live", "--rate", "50", "--duration", "2"], into: db)
        #expect(outcome.status == 1, "stderr: \(outcome.standardError)")
        #expect(
            outcome.standardError.contains(
                "has rows but no products, which live orders and reviews need: add some first (ondo generate --append "
                    + "--customers 0 --products 500 --orders 0 --reviews 0); nothing was written"),
            "stderr: \(outcome.standardError)")
        #expect(try await Self.count("orders", in: db) == 0)
        #expect(try await Self.count("customers", in: db) == 3)
    }

    /// `--live --products 0` on an empty shop wrote the bulk shop and then stopped at the live step: it is a usage
    /// error now.
    @Test func liveWithoutProductsIsAUsageError() async throws {
        let db = try await TestPostgres.shared.freshDatabase("GenerateLiveProductsZero")
        let outcome = try await Self.generate(
            ["--live", "--duration", "1", "--customers", "5", "--products", "0", "--orders", "0", "--reviews", "0"],
            into: db)
        #expect(outcome.status == 64, "stderr: \(outcome.standardError)")
        #expect(outcome.standardError.contains("--live needs at least one product (--products)"))
        #expect(try await Self.count("customers", in: db) == 0)
    }

    /// A shop whose highest customer id is the largest bigint: live traffic's first sign-up took the next id and
    /// crashed with an arithmetic overflow. It is refused before the first event.
    @Test func aShopAtTheLargestIdIsRefusedNotACrash() async throws {
        let db = try await TestPostgres.shared.freshDatabase("GenerateLiveAtLargestId")
        try await Self.addCustomerAndProduct(customerId: Int64.max, to: db)
        let outcome = try await Self.generate(["--live", "--rate", "50", "--duration", "2"], into: db)
        #expect(outcome.status == 1, "stderr: \(outcome.standardError)")
        #expect(
            outcome.standardError.contains(
                "none is left below the largest id PostgreSQL's bigint holds (\(Int64.max)): shop.customers (highest id "
                    + "\(Int64.max)); nothing was written live"),
            "stderr: \(outcome.standardError)")
        #expect(try await Self.count("orders", in: db) == 0)
    }

    /// Three customer ids left below the largest: the fourth live sign-up would pass it. The writer stops there with
    /// an error naming the table, after writing every event before it (it crashed with an arithmetic overflow).
    @Test func liveTrafficThatRunsOutOfIdsStopsWithAnError() async throws {
        let db = try await TestPostgres.shared.freshDatabase("GenerateLiveRunsOutOfIds")
        try await Self.addCustomerAndProduct(customerId: Int64.max - 3, to: db)
        let outcome = try await Self.generate(["--live", "--rate", "200", "--duration", "5"], into: db)
        #expect(outcome.status == 1, "stderr: \(outcome.standardError)")
        #expect(
            outcome.standardError.contains(
                "live traffic stopped: the next id of shop.customers would pass the largest id PostgreSQL's bigint "
                    + "holds (\(Int64.max));"),
            "stderr: \(outcome.standardError)")
        let highest = try await db.withConnection {
            try $0.queryValue(Int64.self, "SELECT max(id) FROM shop.customers")
        }
        #expect(highest == Int64.max)
        #expect(try await Self.count("customers", in: db) == 4)
    }

    /// Room for one order item below the largest id: the start check asked for room for four (the most an order
    /// has) and refused the shop ("shop.order_items (highest id 9223372036854775806); nothing was written live"),
    /// though the first order fits (with one product, every order has one item). Now the live shop writes until an
    /// order's items do not fit, then stops naming the table, as it does for customers.
    @Test func roomForTheSmallestOrderIsEnoughToStart() async throws {
        let db = try await TestPostgres.shared.freshDatabase("GenerateLiveOneItemLeft")
        try await Self.addCustomerAndProduct(customerId: 1, to: db)
        try await db.withConnection { connection in
            try connection.execute(
                "INSERT INTO shop.orders (id, customer_id, ordered_at) VALUES (1, 1, now() - interval '2 days')")
            try connection.execute(
                "INSERT INTO shop.order_items (id, order_id, product_id) VALUES (\(Int64.max - 1), 1, 1)")
        }
        let outcome = try await Self.generate(["--live", "--rate", "200", "--duration", "3"], into: db)
        #expect(!outcome.standardError.contains("nothing was written live"), "stderr: \(outcome.standardError)")
        #expect(outcome.status == 1, "stderr: \(outcome.standardError)")
        #expect(
            outcome.standardError.contains(
                "live traffic stopped: the next id of shop.order_items would pass the largest id PostgreSQL's bigint "
                    + "holds (\(Int64.max));"),
            "stderr: \(outcome.standardError)")
        let highest = try await db.withConnection {
            try $0.queryValue(Int64.self, "SELECT max(id) FROM shop.order_items")
        }
        #expect(highest == Int64.max, "the one order that fitted was written")
        #expect(try await Self.count("orders", in: db) == 2)
    }

    /// One customer with id `customerId` (signed up 3 days ago) and one product: a shop live traffic can run on.
    static func addCustomerAndProduct(customerId: Int64, to db: TestDatabase) async throws {
        try await db.withConnection { connection in
            try connection.execute(
                "INSERT INTO shop.customers (id, name, created_at) VALUES (\(customerId), 'c', now() - interval '3 days')"
            )
            try connection.execute("INSERT INTO shop.products (id, name) VALUES (1, 'p')")
        }
    }
}
