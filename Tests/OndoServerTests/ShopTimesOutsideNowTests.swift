import Foundation
import Postgres
import TestSupport
import Testing

/// Orders and reviews dated after the recompute's clock, or at `'infinity'` / `'-infinity'` (old rows: migration
/// 0014 refuses infinite times and those from year 10,000 on, and still lets a later date through), as
/// `ondo states recompute` and `ondo customer show` see them.
@Suite struct ShopTimesOutsideNowTests {
    /// `infinity` read as Foundation's distant future and counted as the last order: "last order 0 days ago" for ever
    /// (customer 81: active, churn risk 0.04, although its last real order was 100 days ago); an order 2 hours ahead
    /// did the same until it came (83); a 1★ review at `infinity` was a complaint "0 days ago" for ever (84, at
    /// risk); `-infinity` read as year 1: "no order for 739952 days" (82); a signup at `-infinity` "no order in the
    /// 739952 days since signup" (85), one at `infinity` "signed up 0 days ago" (86). Now an order or review counts
    /// from the time it carries, the scheduler looking again when a later one comes due; one with no time at all is
    /// left out; and a customer whose signup has no time fails alone, named, as one before year 1 does. An order
    /// a shop's clock dated a little ahead of the database's (90 s, customer 87) still counts at once.
    @Test func ordersAndReviewsCountFromTheTimeTheyCarry() async throws {
        let db = try await TestPostgres.shared.freshDatabase("CLIShopTimesOutsideNow")
        try await db.withConnection { admin in
            try admin.runScript(
                """
                ALTER TABLE shop.customers DROP CONSTRAINT customers_created_at_plausible;
                ALTER TABLE shop.orders DROP CONSTRAINT orders_ordered_at_plausible;
                ALTER TABLE shop.reviews DROP CONSTRAINT reviews_created_at_plausible;
                INSERT INTO shop.customers (id, name, created_at)
                SELECT id, 'c' || id, now() - interval '200 days' FROM generate_series(81, 84) AS id;
                INSERT INTO shop.customers (id, name, created_at) VALUES (87, 'c87', now() - interval '200 days');
                INSERT INTO shop.customers (id, name, created_at) VALUES (85, 'c85', '-infinity'), (86, 'c86', 'infinity');
                INSERT INTO shop.products (id, name) VALUES (1, 'thing');
                INSERT INTO shop.orders (id, customer_id, ordered_at, total, status) VALUES
                    (1, 81, now() - interval '100 days', 1000, 'delivered'), (2, 81, 'infinity', 1000, 'paid'),
                    (3, 82, '-infinity', 1000, 'delivered'),
                    (4, 83, now() - interval '100 days', 1000, 'delivered'),
                    (5, 83, now() + interval '2 hours', 1000, 'paid'),
                    (6, 84, now() - interval '10 days', 1000, 'delivered'),
                    (7, 87, now() - interval '100 days', 1000, 'delivered'),
                    (8, 87, now() + interval '90 seconds', 1000, 'paid');
                INSERT INTO shop.reviews (id, customer_id, product_id, rating, body, created_at) VALUES
                    (1, 84, 1, 1, '최악', 'infinity');
                """)
        }
        var environment = db.environment(as: .app)
        environment["ONDO_SENTIMENT_MODEL"] = PipelineHarness.modelPath
        let recompute = try await OndoExecutable.run(["states", "recompute", "--all"], environment: environment)
        print("states recompute: exit \(recompute.status)\n\(recompute.standardOutput)\(recompute.standardError)")
        #expect(recompute.status == 1, "the customers without a signup time fail: \(recompute.standardError)")
        #expect(recompute.standardOutput.contains("recomputed 5 customer states"), "\(recompute.standardOutput)")
        for id in [85, 86] {
            #expect(
                recompute.standardError.contains("customer \(id): customer \(id)'s signup time"),
                "\(recompute.standardError)")
        }

        let rows = try await db.withConnection { admin in
            try admin.query(
                """
                SELECT customer_id, state, reasons->0 AS reason,
                       extract(epoch FROM recheck_at - statement_timestamp())::float8 AS recheck_in
                FROM crm.customer_state ORDER BY customer_id
                """
            ).map { row in
                (
                    id: try row.decode(Int64.self, "customer_id"), state: try row.decode(String.self, "state"),
                    reason: try row.decode(String.self, "reason"), recheckIn: try row.decode(Double.self, "recheck_in")
                )
            }
        }
        let byId = Dictionary(uniqueKeysWithValues: rows.map { ($0.id, $0) })
        #expect(byId.keys.sorted() == [81, 82, 83, 84, 87], "\(rows)")
        #expect(byId[81]?.state == "at_risk", "\(rows)")
        #expect(byId[81]?.reason == #"{"code": "no_order_days", "days": 100, "since": "last_order"}"#, "\(rows)")
        #expect(byId[82]?.state == "churned", "\(rows)")
        #expect(byId[82]?.reason == #"{"code": "no_order_days", "days": 200, "since": "signup"}"#, "\(rows)")
        #expect(byId[83]?.reason == #"{"code": "no_order_days", "days": 100, "since": "last_order"}"#, "\(rows)")
        let recheck = byId[83]?.recheckIn ?? 0
        #expect(recheck > 7_100 && recheck < 7_210, "looked at again when the later order comes due: \(recheck)")
        #expect(byId[84]?.state == "active", "\(rows)")
        #expect(byId[84]?.reason == #"{"code": "recent_order", "days": 10}"#, "\(rows)")
        // A shop clock 90 s ahead of the database's is within the tolerance: the order counts at once, as today's.
        #expect(byId[87]?.state == "active", "\(rows)")
        #expect(byId[87]?.reason == #"{"code": "recent_order", "days": 0}"#, "\(rows)")

        let show = try await OndoExecutable.run(
            ["customer", "show", "81", "--format", "json"], environment: environment)
        #expect(show.status == 0, "\(show.standardError)")
        let profile = try JSONSerialization.jsonObject(with: Data(show.standardOutput.utf8)) as? [String: Any]
        let reasons = profile?["reasons"] as? [[String: Any]] ?? []
        #expect(reasons.first?["code"] as? String == "no_order_days", "\(show.standardOutput)")
        #expect(reasons.first?["days"] as? Int == 100, "\(show.standardOutput)")
        let table = try await OndoExecutable.run(["customer", "show", "81"], environment: environment)
        #expect(table.standardOutput.contains("no order for 100 days"), "\(table.standardOutput)")
        #expect(!table.standardOutput.contains("0 days ago"), "\(table.standardOutput)")
    }
}
