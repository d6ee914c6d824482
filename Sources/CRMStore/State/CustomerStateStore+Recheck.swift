import Postgres

/// The scheduler's side of customer states: who is due for a time-based look, and putting one off.
extension CustomerStateStore {
    /// Customers whose `recheck_at` has passed, most overdue first.
    public func dueForRecheck(limit: Int, on connection: PostgresConnection) throws -> [Int64] {
        try connection.query(
            """
            SELECT customer_id FROM crm.customer_state WHERE recheck_at <= now() ORDER BY recheck_at LIMIT \(limit)
            """
        ).map { try $0.decode(Int64.self, "customer_id") }
    }

    /// Moves customer `id`'s passed `recheck_at` to `seconds` from now (after its recompute failed), so that the
    /// scheduler's next batches are not held up by it; returns false when there was nothing to move (no state
    /// row, or someone recomputed the customer meanwhile and its recheck has not passed).
    @discardableResult
    public func postponeRecheck(
        of id: Int64, bySeconds seconds: Double, on connection: PostgresConnection
    ) throws -> Bool {
        try connection.execute(
            """
            UPDATE crm.customer_state SET recheck_at = now() + make_interval(secs => \(seconds))
            WHERE customer_id = \(id) AND recheck_at <= now()
            """) == 1
    }
}

extension CustomerStateStore {
    /// Moves the passed `recheck_at` of those of `ids` whose customer is no longer in `shop.customers` (an operator
    /// deleted it, or the shop changed its id) `seconds` from now, and returns their ids. A recompute writes
    /// nothing for such a customer, so its recheck would stay passed and head every scheduler batch for good.
    public func postponeRecheckOfCustomersGoneFromTheShop(
        _ ids: [Int64], bySeconds seconds: Double, on connection: PostgresConnection
    ) throws -> [Int64] {
        guard !ids.isEmpty else { return [] }
        return try connection.query(
            """
            UPDATE crm.customer_state AS s SET recheck_at = now() + make_interval(secs => \(seconds))
            WHERE s.customer_id = ANY(\(ids)) AND s.recheck_at <= now()
              AND NOT EXISTS (SELECT 1 FROM shop.customers AS c WHERE c.id = s.customer_id)
            RETURNING s.customer_id
            """
        ).map { try $0.decode(Int64.self, "customer_id") }
    }
}
