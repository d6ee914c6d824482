import Foundation
import Postgres

/// Reviews a worker read while their customer or product was missing, and whose customer and product exist by
/// the time it writes its verdict.
///
/// The shop's customer and product triggers reset the attempts of reviews backing off for them, but they pass over
/// a review a worker holds (0015 took back re-queueing those from the shop's transaction). Without this, the
/// worker would then record one more waiting attempt (counted against `retry.maximumAttempts` once the customer is
/// there, and retried only after its delay) or quarantine the review for the lease sweeper to re-queue.
public enum ArrivedReferences {
    /// Of `keys` (review work leased under `token`), makes those whose review's customer and product both exist
    /// now pending again, claimable at once and with no attempt counted; returns their keys. Call it in the READ
    /// COMMITTED transaction that writes the worker's verdict, before anything else on those rows: the statement's
    /// own snapshot sees a customer committed after the worker read the review. Rows someone else holds locked (a
    /// shop trigger re-queueing them) are left to the caller's usual path. `enqueued_at` stays: the review has been
    /// waiting since the shop inserted it. Planned for each call, not prepared, as ``WorkQueue``'s lookups by key are.
    public static func requeue(_ keys: [Int64], token: UUID, on connection: PostgresConnection) throws -> Set<Int64> {
        guard !keys.isEmpty else { return [] }
        return Set(
            try connection.query(
                """
                WITH arrived AS (
                    SELECT work.review_id FROM crm.review_work AS work
                    JOIN shop.reviews AS r ON r.id = work.review_id
                    WHERE work.review_id = ANY(\(keys)) AND work.lease_token = \(token) AND work.status = 'processing'
                      AND EXISTS (SELECT 1 FROM shop.customers AS c WHERE c.id = r.customer_id)
                      AND EXISTS (SELECT 1 FROM shop.products AS p WHERE p.id = r.product_id)
                    FOR UPDATE OF work SKIP LOCKED
                )
                UPDATE crm.review_work AS work SET
                    status = 'pending', attempts = 0, available_at = now(), lease_token = NULL,
                    lease_expires_at = NULL, last_error = NULL, updated_at = now()
                FROM arrived WHERE work.review_id = arrived.review_id
                RETURNING work.review_id
                """
            ).map { try $0.decode(Int64.self, "review_id") })
    }
}
