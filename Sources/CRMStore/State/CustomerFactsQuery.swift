import CRM
import Foundation
import Postgres

/// Reads what the state rules need for a set of customers, in three statements whatever the set's size.
struct CustomerFactsQuery {
    /// How far back reviews are read; older ones weigh almost nothing.
    var reviewWindowDays: Double
    /// The model whose scores are preferred when a review was scored by several.
    var preferredModelVersion: String?

    /// The facts of each customer the shop knows, keyed by id; unknown ids are absent.
    func load(_ customerIds: [Int64], at now: Date, on connection: PostgresConnection) throws -> [Int64: CustomerFacts]
    {
        var facts: [Int64: CustomerFacts] = [:]
        for row in try connection.query(
            "SELECT id, created_at FROM shop.customers WHERE id = ANY(\(customerIds))", prepared: true)
        {
            let id = try row.decode(Int64.self, "id")
            facts[id] = CustomerFacts(
                customerId: id, signedUpAt: try row.decode(Date.self, "created_at"), purchases: .none, reviews: [])
        }
        guard !facts.isEmpty else { return facts }
        let known = Array(facts.keys)

        // The shop's CHECK (total >= 0) lets 'NaN' through (NaN sorts above every number), and one NaN makes the
        // whole sum NaN, which no JSON reason can hold: an order whose total is not a number counts as an order
        // but adds nothing to the spend, so the customer's other orders still count.
        let purchases = try connection.query(
            """
            SELECT customer_id,
                   max(ordered_at) AS last_order_at,
                   count(*) FILTER (WHERE ordered_at > \(now) - interval '365 days') AS orders_last_year,
                   coalesce(sum(total) FILTER (WHERE ordered_at > \(now) - interval '365 days' AND total <> 'NaN'),
                            0)::float8 AS spend_last_year,
                   count(*) AS total_orders,
                   min(ordered_at) FILTER (WHERE ordered_at > \(now) - interval '365 days') AS oldest_order_last_year_at
            FROM shop.orders
            WHERE customer_id = ANY(\(known)) AND status NOT IN ('cancelled', 'refunded')
            GROUP BY customer_id
            """, prepared: true)
        for row in purchases {
            let id = try row.decode(Int64.self, "customer_id")
            facts[id]?.purchases = PurchaseSummary(
                lastOrderAt: try row.decode(Date?.self, "last_order_at"),
                ordersLastYear: try row.decode(Int.self, "orders_last_year"),
                spendLastYear: try row.decode(Double.self, "spend_last_year"),
                totalOrders: try row.decode(Int.self, "total_orders"),
                oldestOrderLastYearAt: try row.decode(Date?.self, "oldest_order_last_year_at"))
        }

        // Planned afresh each time, not prepared: a generic plan cached while crm.review_sentiment was empty (a
        // fresh install, or the table emptied and vacuumed) scanned the whole score table for every review read,
        // and kept doing so as the table grew, until an ANALYZE of it replanned. Planning costs about 0.2 ms a batch.
        let reviews = try connection.query(
            """
            SELECT r.id, r.customer_id, r.product_id, r.rating, r.created_at, s.probability, s.aspects
            FROM shop.reviews AS r
            LEFT JOIN LATERAL (
                SELECT probability::float8 AS probability, aspects FROM crm.review_sentiment AS rs
                WHERE rs.review_id = r.id
                ORDER BY (rs.model_version = \(preferredModelVersion)) DESC NULLS LAST, rs.scored_at DESC
                LIMIT 1
            ) AS s ON true
            WHERE r.customer_id = ANY(\(known))
              AND r.created_at > \(now) - make_interval(days => \(Int32(reviewWindowDays.rounded(.up))))
            ORDER BY r.created_at DESC, r.id DESC
            """)
        // Newest first, the order the state rules read them in: sorting them again is then only a check.
        for row in reviews {
            let id = try row.decode(Int64.self, "customer_id")
            facts[id]?.reviews.append(
                ReviewFact(
                    reviewId: try row.decode(Int64.self, "id"), productId: try row.decode(Int64.self, "product_id"),
                    rating: try row.decode(Int?.self, "rating"),
                    probability: try row.decode(Double?.self, "probability"),
                    writtenAt: try row.decode(Date.self, "created_at"),
                    aspects: try row.decode([String]?.self, "aspects") ?? []))
        }
        return facts
    }
}
