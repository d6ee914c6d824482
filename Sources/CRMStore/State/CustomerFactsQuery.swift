import CRM
import Foundation
import Postgres

/// Reads what the state rules need for a set of customers, in three statements whatever the set's size.
struct CustomerFactsQuery {
    /// How far back reviews are read; older ones weigh almost nothing.
    var reviewWindowDays: Double
    /// The model whose scores are preferred when a review was scored by several.
    var preferredModelVersion: String?

    /// How far ahead of the database's clock an order or review may be dated and still count at once, as written
    /// now (the state rules count its age from 0): a shop that writes its own application server's time, a little
    /// ahead of the database's, must not wait for the scheduler to see a fresh review. Later dates wait for their
    /// time (``CustomerFacts/nextDatedAt``).
    static let clockSkewTolerance: TimeInterval = 300

    /// The facts of each customer the shop knows, keyed by id; unknown ids are absent.
    func load(_ customerIds: [Int64], at now: Date, on connection: PostgresConnection) throws -> [Int64: CustomerFacts]
    {
        let horizon = now.addingTimeInterval(Self.clockSkewTolerance)
        var facts: [Int64: CustomerFacts] = [:]
        for row in try connection.query(
            "SELECT id, created_at, isfinite(created_at) AS dated FROM shop.customers WHERE id = ANY(\(customerIds))",
            prepared: true)
        {
            let id = try row.decode(Int64.self, "id")
            // 'infinity' reads as Foundation's distant future (a customer "new" for ever), '-infinity' as year 1 (no
            // order in 739,000 days): the customer fails alone, as one whose signup is before year 1 does.
            guard try row.decode(Bool.self, "dated") else { throw UndatedSignup(customerId: id) }
            facts[id] = CustomerFacts(
                customerId: id, signedUpAt: try row.decode(Date.self, "created_at"), purchases: .none, reviews: [])
        }
        guard !facts.isEmpty else { return facts }
        let known = Array(facts.keys)

        // The shop's CHECK (total >= 0) lets 'NaN' through (NaN sorts above every number), and one NaN makes the
        // whole sum NaN, which no JSON reason can hold: an order whose total is not a number counts as an order
        // but adds nothing to the spend, so the customer's other orders still count.
        // An order counts from the time it carries: one dated after `now` by more than the clock-skew tolerance (a
        // mistaken date or time zone) is left out until then and named as the next dated event, for the recheck; one at 'infinity' or
        // '-infinity' (old rows: migration 0014 refuses them) has no time at all and is left out. Counted as the
        // last order, 'infinity' read as Foundation's distant future made "last order 0 days ago" for ever, and
        // '-infinity' alone "no order for 739,000 days".
        let purchases = try connection.query(
            """
            SELECT customer_id,
                   max(ordered_at) FILTER (WHERE ordered_at <= \(horizon) AND isfinite(ordered_at)) AS last_order_at,
                   count(*) FILTER (WHERE ordered_at > \(now) - interval '365 days' AND ordered_at <= \(horizon))
                       AS orders_last_year,
                   coalesce(sum(total) FILTER (WHERE ordered_at > \(now) - interval '365 days'
                                                     AND ordered_at <= \(horizon) AND total <> 'NaN'),
                            0)::float8 AS spend_last_year,
                   count(*) FILTER (WHERE ordered_at <= \(horizon) AND isfinite(ordered_at)) AS total_orders,
                   min(ordered_at) FILTER (WHERE ordered_at > \(now) - interval '365 days' AND ordered_at <= \(horizon))
                       AS oldest_order_last_year_at,
                   min(ordered_at) FILTER (WHERE ordered_at > \(horizon) AND isfinite(ordered_at)) AS next_order_at
            FROM shop.orders
            WHERE customer_id = ANY(\(known)) AND status NOT IN ('cancelled', 'refunded')
            GROUP BY customer_id
            """, prepared: true)
        for row in purchases {
            let id = try row.decode(Int64.self, "customer_id")
            facts[id]?.nextDatedAt = try row.decode(Date?.self, "next_order_at")
            facts[id]?.purchases = PurchaseSummary(
                lastOrderAt: try row.decode(Date?.self, "last_order_at"),
                ordersLastYear: try row.decode(Int.self, "orders_last_year"),
                spendLastYear: try row.decode(Double.self, "spend_last_year"),
                totalOrders: try row.decode(Int.self, "total_orders"),
                oldestOrderLastYearAt: try row.decode(Date?.self, "oldest_order_last_year_at"))
        }

        // Planned afresh each time, not prepared: a generic plan cached while the tables were young (a fresh
        // install, or the tables emptied and vacuumed) scans them whole for every batch (see WorkQueue).
        let reviews = try connection.query(
            """
            SELECT r.id, r.customer_id, r.product_id, r.rating, r.created_at
            FROM shop.reviews AS r
            WHERE r.customer_id = ANY(\(known))
              AND r.created_at > \(now) - make_interval(days => \(Int32(reviewWindowDays.rounded(.up))))
              AND isfinite(r.created_at)
            ORDER BY r.created_at DESC, r.id DESC
            """)
        // Newest first, the order the state rules read them in: sorting them again is then only a check.
        var counted: [(customerId: Int64, fact: ReviewFact)] = []
        for row in reviews {
            let id = try row.decode(Int64.self, "customer_id")
            let writtenAt = try row.decode(Date.self, "created_at")
            // As orders: a review dated after the horizon counts from its time on ('infinity' never, as an old row's).
            guard writtenAt <= horizon else {
                let next = facts[id]?.nextDatedAt ?? writtenAt
                facts[id]?.nextDatedAt = min(next, writtenAt)
                continue
            }
            counted.append(
                (
                    id,
                    ReviewFact(
                        reviewId: try row.decode(Int64.self, "id"), productId: try row.decode(Int64.self, "product_id"),
                        rating: try row.decode(Int?.self, "rating"), probability: nil, writtenAt: writtenAt)
                ))
        }
        let scores = try ReviewScoreLookup(preferredModelVersion: preferredModelVersion).scores(
            of: counted.map(\.fact.reviewId), on: connection)
        for (customerId, var fact) in counted {
            if let score = scores[fact.reviewId] {
                fact.probability = score.probability
                fact.aspects = score.aspects
            }
            facts[customerId]?.reviews.append(fact)
        }
        return facts
    }
}

/// A customer whose signup time (`shop.customers.created_at`) is `'infinity'` or `'-infinity'`, which the state
/// rules cannot count days from: an old row (migration 0014 refuses them). The customer fails alone, as one whose
/// signup is before year 1 (which cannot be read) does.
struct UndatedSignup: Error, CustomStringConvertible {
    var customerId: Int64

    var description: String {
        "customer \(customerId)'s signup time (shop.customers.created_at) is infinity or -infinity, no date to count "
            + "days from: set it to the real signup time"
    }
}
