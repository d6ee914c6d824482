import Postgres

/// Walks customers in id order for `ondo states recompute`.
public struct StateRecomputeScan: Sendable {
    /// Every customer of the shop, or only those due (overdue `recheck_at`, or never assessed).
    public let all: Bool

    /// Creates a scan.
    public init(all: Bool) {
        self.all = all
    }

    /// How many customers the scan will visit.
    public func count(on connection: PostgresConnection) throws -> Int {
        try connection.queryValue(
            Int.self,
            """
            SELECT count(*) FROM shop.customers AS c LEFT JOIN crm.customer_state AS s ON s.customer_id = c.id
            WHERE \(all) OR s.customer_id IS NULL OR s.recheck_at <= now()
            """)
    }

    /// The next customers after `after` (nil: from the lowest id on), in id order. The shop's ids may be 0 or
    /// negative, so the walk does not start after 0: it left those customers out.
    public func nextChunk(after: Int64?, limit: Int, on connection: PostgresConnection) throws -> [Int64] {
        try connection.query(
            """
            SELECT c.id FROM shop.customers AS c LEFT JOIN crm.customer_state AS s ON s.customer_id = c.id
            WHERE (\(after)::bigint IS NULL OR c.id > \(after))
              AND (\(all) OR s.customer_id IS NULL OR s.recheck_at <= now())
            ORDER BY c.id LIMIT \(limit)
            """
        ).map { try $0.decode(Int64.self, "id") }
    }
}
