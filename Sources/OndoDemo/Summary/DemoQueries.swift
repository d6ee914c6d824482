import CRM
import CRMStore
import Postgres

/// The demo's read-only queries (as the application role): Ondo's tables and report views.
enum DemoQueries {
    /// The highest id in the state history, so later looks can ask for what is newer.
    static func latestTransitionId(on connection: PostgresConnection) throws -> Int64 {
        try connection.queryValue(Int64.self, "SELECT coalesce(max(id), 0) FROM crm.customer_state_history")
    }

    /// Up to `limit` notable transitions after `afterId` — into or out of at_risk or churned, those caused by a
    /// review first, newest first — and the highest history id seen.
    static func notableTransitions(
        after afterId: Int64, limit: Int, on connection: PostgresConnection
    ) throws -> (transitions: [NotableTransition], latestId: Int64) {
        let latest = try latestTransitionId(on: connection)
        let rows = try connection.query(
            """
            SELECT customer_id, from_state, to_state, cause, reasons -> 0 AS reason
            FROM crm.customer_state_history
            WHERE id > \(afterId) AND id <= \(latest) AND from_state IS NOT NULL AND from_state <> to_state
              AND (to_state IN ('at_risk', 'churned') OR from_state IN ('at_risk', 'churned'))
            ORDER BY (cause = 'review') DESC, id DESC
            LIMIT \(limit)
            """)
        let transitions = try rows.map { row in
            NotableTransition(
                customerId: try row.decode(Int64.self, "customer_id"), from: try row.decode(String.self, "from_state"),
                to: try row.decode(String.self, "to_state"), cause: try row.decode(String.self, "cause"),
                reason: try row.decode(PostgresJSON?.self, "reason").flatMap { try? $0.decode(StateReason.self) })
        }
        return (transitions, latest)
    }

    /// Customers per state, average churn risk, in the states' declared order.
    static func stateSummary(on connection: PostgresConnection) throws -> [DemoSummary.StateCount] {
        let rows = try connection.query(
            "SELECT state, customers, average_churn_risk::float8 AS risk FROM report.state_summary")
        let counts = try rows.map { row in
            DemoSummary.StateCount(
                state: try row.decode(String.self, "state"), customers: try row.decode(Int.self, "customers"),
                averageChurnRisk: try row.decode(Double.self, "risk"))
        }
        let order = CustomerState.allCases.map(\.rawValue)
        return counts.sorted {
            (order.firstIndex(of: $0.state) ?? order.count) < (order.firstIndex(of: $1.state) ?? order.count)
        }
    }

    /// The products with the most negative reviews and their top complaint aspects (`report.product_insight`).
    static func mostComplainedProducts(limit: Int, on connection: PostgresConnection) throws -> [DemoSummary
        .ProductComplaints]
    {
        try connection.query(
            """
            SELECT product_id, coalesce(name, sku, '#' || product_id) AS name, coalesce(category, '') AS category,
                   reviews, negative_reviews, coalesce(negative_rate, 0)::float8 AS negative_rate,
                   coalesce(top_complaints, '{}') AS top_complaints
            FROM report.product_insight
            WHERE negative_reviews > 0
            ORDER BY negative_reviews DESC, negative_rate DESC, product_id
            LIMIT \(limit)
            """
        ).map { row in
            DemoSummary.ProductComplaints(
                productId: try row.decode(Int64.self, "product_id"), name: try row.decode(String.self, "name"),
                category: try row.decode(String.self, "category"), reviews: try row.decode(Int.self, "reviews"),
                negativeReviews: try row.decode(Int.self, "negative_reviews"),
                negativeRate: try row.decode(Double.self, "negative_rate"),
                topComplaints: try row.decode([String].self, "top_complaints"))
        }
    }

    /// The at-risk customer to explain: the one who most recently became at risk because of a negative review
    /// (else the riskiest at-risk customer), in full.
    static func atRiskExample(on connection: PostgresConnection) throws -> CustomerProfile? {
        let id = try connection.query(
            """
            SELECT customer_id FROM crm.customer_state
            WHERE state = 'at_risk'
            ORDER BY (reasons -> 0 ->> 'code' = 'negative_review') DESC, state_since DESC, churn_risk DESC, customer_id
            LIMIT 1
            """
        ).first.map { try $0.decode(Int64.self, "customer_id") }
        guard let id else { return nil }
        return try CustomerDirectory().profile(id, reviewLimit: 5, orderLimit: 3, historyLimit: 3, on: connection)
    }

    /// Reviews the model scored negative.
    static func negativeReviews(on connection: PostgresConnection) throws -> Int {
        try connection.queryValue(Int.self, "SELECT count(*) FROM report.review_scores WHERE label = 'negative'")
    }

    /// Reviews set aside with a reason.
    static func quarantined(on connection: PostgresConnection) throws -> Int {
        try connection.queryValue(Int.self, "SELECT count(*) FROM crm.review_quarantine")
    }

    /// State changes recorded.
    static func transitionCount(on connection: PostgresConnection) throws -> Int {
        try connection.queryValue(Int.self, "SELECT count(*) FROM crm.customer_state_history")
    }
}
