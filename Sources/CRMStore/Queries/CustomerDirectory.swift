import CRM
import Foundation
import Postgres

/// Read-only look-ups of customers for the CLI: one customer in full, or a filtered list.
public struct CustomerDirectory: Sendable {
    /// When a review was scored by several models, the score shown is this model's if it has one (as the state
    /// engine with the same configuration reads it, so the reviews shown are the ones its reasons cite), else the
    /// newest.
    public let preferredModelVersion: String?

    /// Creates the directory.
    public init(preferredModelVersion: String? = nil) {
        self.preferredModelVersion = preferredModelVersion
    }

    /// Everything Ondo knows about one customer, with the newest `reviewLimit` reviews, `orderLimit` orders and
    /// `historyLimit` transitions and how many there are in all; nil when neither the shop nor Ondo has it.
    public func profile(
        _ id: Int64, reviewLimit: Int = 10, orderLimit: Int = 10, historyLimit: Int = 20,
        on connection: PostgresConnection
    ) throws -> CustomerProfile? {
        let customer = try connection.query(
            """
            SELECT c.id, c.name, c.email, \(Self.shopTime("c.created_at", as: "created_at")),
                   c.marketing_consent, c.night_consent,
                   -- numeric first: a stored real as written (0.76), not its double expansion (0.7599999904…)
                   s.state, s.churn_risk::numeric::float8 AS churn_risk,
                   s.sentiment_score::numeric::float8 AS sentiment_score, s.reasons,
                   s.state_since, s.updated_at, s.recheck_at
            FROM (SELECT \(id) AS id) AS wanted
            LEFT JOIN shop.customers AS c ON c.id = wanted.id
            LEFT JOIN crm.customer_state AS s ON s.customer_id = wanted.id
            WHERE c.id IS NOT NULL OR s.customer_id IS NOT NULL
            """
        ).first
        guard let customer else { return nil }
        var profile = CustomerProfile(
            id: id, name: try customer.decode(String?.self, "name"), email: try customer.decode(String?.self, "email"),
            signedUpAt: try customer.decode(Date?.self, "created_at"),
            signedUpAtAsStored: try customer.decode(String?.self, "created_at_as_stored"),
            marketingConsent: try customer.decode(Bool?.self, "marketing_consent"),
            nightConsent: try customer.decode(Bool?.self, "night_consent"),
            state: try customer.decode(String?.self, "state").flatMap(CustomerState.init(rawValue:)),
            churnRisk: try customer.decode(Double?.self, "churn_risk"),
            sentimentScore: try customer.decode(Double?.self, "sentiment_score"),
            reasons: try customer.decode(PostgresJSON?.self, "reasons")?.decode([StateReason].self) ?? [],
            stateSince: try customer.decode(Date?.self, "state_since"),
            updatedAt: try customer.decode(Date?.self, "updated_at"),
            recheckAt: try customer.decode(Date?.self, "recheck_at"))

        profile.reviews = try connection.query(
            """
            SELECT r.id, r.product_id, p.name AS product_name, r.rating, r.body,
                   \(Self.shopTime("r.created_at", as: "created_at")),
                   -- numeric first: the stored real as written (0.005), not its double expansion (0.00499999988…)
                   s.probability::numeric::float8 AS probability,
                   s.label, s.aspects, q.reason AS quarantine_reason, w.status
            FROM shop.reviews AS r
            LEFT JOIN shop.products AS p ON p.id = r.product_id
            LEFT JOIN LATERAL (SELECT probability, label, aspects FROM crm.review_sentiment AS rs
                               WHERE rs.review_id = r.id
                               ORDER BY (rs.model_version = \(preferredModelVersion)) DESC NULLS LAST, rs.scored_at DESC
                               LIMIT 1) AS s ON true
            LEFT JOIN crm.review_quarantine AS q ON q.review_id = r.id
            LEFT JOIN crm.review_work AS w ON w.review_id = r.id
            WHERE r.customer_id = \(id)
            ORDER BY r.created_at DESC, r.id DESC LIMIT \(reviewLimit)
            """
        ).map { row in
            CustomerProfile.Review(
                id: try row.decode(Int64.self, "id"), productId: try row.decode(Int64.self, "product_id"),
                productName: try row.decode(String?.self, "product_name"), rating: try row.decode(Int?.self, "rating"),
                body: try row.decode(String.self, "body"), writtenAt: try row.decode(Date?.self, "created_at"),
                writtenAtAsStored: try row.decode(String?.self, "created_at_as_stored"),
                probability: try row.decode(Double?.self, "probability"), label: try row.decode(String?.self, "label"),
                aspects: try row.decode([String]?.self, "aspects") ?? [],
                quarantineReason: try row.decode(String?.self, "quarantine_reason"),
                workStatus: try row.decode(String?.self, "status"))
        }

        profile.orders = try connection.query(
            """
            SELECT o.id, \(Self.shopTime("o.ordered_at", as: "ordered_at")), o.total::float8 AS total, o.status, o.coupon_code
            FROM shop.orders AS o
            WHERE o.customer_id = \(id) ORDER BY o.ordered_at DESC, o.id DESC LIMIT \(orderLimit)
            """
        ).map { row in
            CustomerProfile.Order(
                id: try row.decode(Int64.self, "id"), orderedAt: try row.decode(Date?.self, "ordered_at"),
                orderedAtAsStored: try row.decode(String?.self, "ordered_at_as_stored"),
                total: try row.decode(Double.self, "total"), status: try row.decode(String.self, "status"),
                couponCode: try row.decode(String?.self, "coupon_code"))
        }

        profile.history = try connection.query(
            """
            SELECT from_state, to_state, churn_risk::numeric::float8 AS churn_risk, reasons, cause, cause_id, changed_at
            FROM crm.customer_state_history WHERE customer_id = \(id)
            ORDER BY changed_at DESC, id DESC LIMIT \(historyLimit)
            """
        ).map { row in
            CustomerProfile.Transition(
                from: try row.decode(String?.self, "from_state"), to: try row.decode(String.self, "to_state"),
                churnRisk: try row.decode(Double.self, "churn_risk"),
                reasons: try row.decode(PostgresJSON.self, "reasons").decode([StateReason].self),
                cause: try row.decode(String.self, "cause"), causeId: try row.decode(Int64?.self, "cause_id"),
                changedAt: try row.decode(Date.self, "changed_at"))
        }

        // Each an index scan by customer (reviews_customer_idx, orders_customer_ordered_at_idx, the history's key).
        if let counts = try connection.query(
            """
            SELECT (SELECT count(*) FROM shop.reviews WHERE customer_id = \(id)) AS reviews,
                   (SELECT count(*) FROM shop.orders WHERE customer_id = \(id)) AS orders,
                   (SELECT count(*) FROM crm.customer_state_history WHERE customer_id = \(id)) AS history
            """
        ).first {
            profile.totals.reviews = try counts.decode(Int.self, "reviews")
            profile.totals.orders = try counts.decode(Int.self, "orders")
            profile.totals.history = try counts.decode(Int.self, "history")
        }
        return profile
    }

    /// Which customers ``list(_:on:)`` returns.
    public struct Filter: Sendable {
        /// Only customers in one of these states (all when empty).
        public var states: [CustomerState] = []
        /// Only customers with at least this churn risk, compared at the stored precision (`real`): 0.7 keeps a
        /// risk stored as 0.7, which as a double is 0.699999988….
        public var minimumRisk: Double?
        /// At most this many, riskiest first; nil for every customer that matches.
        public var limit: Int? = 50

        /// No filter, 50 customers.
        public init() {}
    }

    /// Customers with a state, riskiest first.
    public func list(_ filter: Filter, on connection: PostgresConnection) throws -> [CustomerSummary] {
        try connection.query(Self.listStatement(filter)).map { row in
            CustomerSummary(
                id: try row.decode(Int64.self, "customer_id"), name: try row.decode(String?.self, "name"),
                state: CustomerState(rawValue: try row.decode(String.self, "state")) ?? .active,
                churnRisk: try row.decode(Double.self, "churn_risk"),
                sentimentScore: try row.decode(Double.self, "sentiment_score"),
                reasons: try row.decode(PostgresJSON.self, "reasons").decode([StateReason].self),
                stateSince: try row.decode(Date.self, "state_since"))
        }
    }

    /// The query behind ``list(_:on:)``. The states are sorted and cut to the limit before the names are joined: joined
    /// first, every state's customer was looked up for a list of 50 (0.33-0.45 s of 200,000 customers, against
    /// 0.08-0.10 s now).
    static func listStatement(_ filter: Filter) -> PostgresQuery {
        let states = filter.states.map(\.rawValue)
        let everyState = states.isEmpty
        return """
            SELECT s.customer_id, c.name, s.state, s.churn_risk::numeric::float8 AS churn_risk,
                   s.sentiment_score::numeric::float8 AS sentiment_score, s.reasons, s.state_since
            FROM (SELECT customer_id, state, churn_risk, sentiment_score, reasons, state_since
                  FROM crm.customer_state
                  WHERE (\(everyState) OR state = ANY(\(states)))
                    AND churn_risk >= \(filter.minimumRisk ?? 0)::real
                  ORDER BY churn_risk DESC, customer_id
                  LIMIT \(filter.limit)) AS s
            LEFT JOIN shop.customers AS c ON c.id = s.customer_id
            ORDER BY s.churn_risk DESC, s.customer_id
            """
    }

    /// A shop time column as two: `name`, the time when it is a date to show, and `name_as_stored`, the text
    /// PostgreSQL writes for one that is not (before year 1, which cannot even be read, or ±infinity: an old row, see
    /// "Invalid versus unusable data"), so that the rest of the customer is shown. `column` and `name` are this
    /// file's own constants, never input.
    private static func shopTime(_ column: String, as name: String) -> PostgresQuery {
        let showable = "isfinite(\(column)) AND \(column) >= '0001-01-01 00:00:00+00'"
        return PostgresQuery(
            unsafeSQL: "CASE WHEN \(showable) THEN \(column) END AS \(name), "
                + "CASE WHEN NOT (\(showable)) THEN \(column)::text END AS \(name)_as_stored")
    }

    /// Whether the shop has customers but Ondo has assessed none of them (its pipeline has not run yet): an empty
    /// list then says nothing about the shop. Two index probes, whatever the size of the tables.
    public func noneAssessedYet(on connection: PostgresConnection) throws -> Bool {
        try connection.queryValue(
            Bool.self,
            """
            SELECT NOT EXISTS (SELECT 1 FROM crm.customer_state) AND EXISTS (SELECT 1 FROM shop.customers)
            """)
    }

    /// How many customers are in each state.
    public func stateCounts(on connection: PostgresConnection) throws -> [CustomerState: Int] {
        var counts: [CustomerState: Int] = [:]
        for row in try connection.query("SELECT state, count(*) AS n FROM crm.customer_state GROUP BY state") {
            if let state = CustomerState(rawValue: try row.decode(String.self, "state")) {
                counts[state] = try row.decode(Int.self, "n")
            }
        }
        return counts
    }
}
