import Postgres

/// Re-queues reviews quarantined for an unknown customer or product once that customer or product exists.
///
/// The shop's customer and product triggers re-queue such reviews at once, but they cannot see a review a
/// worker is about to quarantine: one read before the shop's insert committed and written after the trigger
/// ran stays quarantined although its customer exists. The lease sweeper runs this on every sweep, so such a
/// review waits at most a sweep interval.
public enum QuarantineCatchUp {
    /// Re-queues every completed review quarantined as `unknown_customer` or `unknown_product` whose customer
    /// or product is now in the shop's tables; returns how many. Reads only those quarantine rows (migration
    /// 0016's partial index, whose predicate the first condition repeats), not the reviews with an empty body.
    @discardableResult
    public static func requeueResolved(on connection: PostgresConnection) throws -> Int {
        try connection.execute(requeueStatement, prepared: true)
    }

    static let requeueStatement: PostgresQuery = """
        UPDATE crm.review_work AS work SET \(WorkQueue.freshlyQueued)
        FROM crm.review_quarantine AS q
        WHERE q.reason IN ('unknown_customer', 'unknown_product')
          AND q.review_id = work.review_id AND work.status = 'completed'
          AND ((q.reason = 'unknown_customer' AND EXISTS (SELECT 1 FROM shop.customers AS c WHERE c.id = q.customer_id))
            OR (q.reason = 'unknown_product' AND EXISTS (SELECT 1 FROM shop.products AS p WHERE p.id = q.product_id)))
        """
}
