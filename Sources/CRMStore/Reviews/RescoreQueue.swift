import Foundation
import Postgres

/// Puts already-processed reviews back in the queue to be scored again (after a model change).
public struct RescoreQueue: Sendable {
    /// Creates the queue helper.
    public init() {}

    /// Which reviews to re-queue.
    public struct Selection: Sendable {
        /// Only reviews written at or after this.
        public var since: Date?
        /// Only reviews with no score from this model (nil: every review).
        public var missingModelVersion: String?

        /// Creates a selection.
        public init(since: Date?, missingModelVersion: String?) {
            self.since = since
            self.missingModelVersion = missingModelVersion
        }
    }

    /// The highest review id queued now and how many reviews are queued up to it: what a re-queueing walk that
    /// begins now visits. Reviews the shop writes later are queued by its trigger and need no re-queueing.
    public func extent(on connection: PostgresConnection) throws -> (lastId: Int64, count: Int) {
        let row = try connection.query(
            "SELECT coalesce(max(review_id), 0) AS last_id, count(*) AS count FROM crm.review_work")
        guard let row = row.first else { return (0, 0) }
        return (try row.decode(Int64.self, "last_id"), try row.decode(Int.self, "count"))
    }

    /// Review ids after `after` (nil: from the lowest id on; the shop's ids may be 0 or negative) and at most
    /// `through`, in id order, at most `limit` of them: the keyset to walk the table in chunks.
    public func nextChunk(
        after: Int64?, through: Int64, limit: Int, on connection: PostgresConnection
    ) throws -> [Int64] {
        try connection.query(
            """
            SELECT review_id FROM crm.review_work
            WHERE (\(after)::bigint IS NULL OR review_id > \(after)) AND review_id <= \(through)
            ORDER BY review_id LIMIT \(limit)
            """
        ).map { try $0.decode(Int64.self, "review_id") }
    }

    /// The database's clock now: reviews queued up to this moment have `enqueued_at` at or before it.
    public func clock(on connection: PostgresConnection) throws -> Date {
        try connection.queryValue(Date.self, "SELECT clock_timestamp()")
    }

    /// Reviews pending or in flight that were queued (or re-queued) at or before `cutoff`, whoever queued them;
    /// later shop inserts and edits are not counted.
    public func unfinished(queuedBy cutoff: Date, on connection: PostgresConnection) throws -> Int {
        // One count per status, so each reads its partial index (review_work_claim_idx, review_work_sweep_idx).
        try connection.queryValue(
            Int.self,
            """
            SELECT (SELECT count(*) FROM crm.review_work WHERE status = 'pending' AND enqueued_at <= \(cutoff))
                 + (SELECT count(*) FROM crm.review_work WHERE status = 'processing' AND enqueued_at <= \(cutoff))
            """)
    }

    /// Re-queues the finished reviews among `ids` that match `selection`, quarantined ones left alone; returns how
    /// many.
    public func requeue(_ ids: [Int64], _ selection: Selection, on connection: PostgresConnection) throws -> Int {
        try connection.execute(Self.requeueStatement(ids, selection))
    }

    /// The UPDATE behind ``requeue(_:_:on:)``. A chunk is a run of consecutive queue ids, and the statement says so
    /// with a range on both tables: with `= ANY` of 5,000 ids alone the planner read the whole queue and every
    /// review written since `--since` for each chunk (130 ms a chunk on 500,000 reviews, so the walk grew with the
    /// square of the shop).
    static func requeueStatement(_ ids: [Int64], _ selection: Selection) -> PostgresQuery {
        let low = ids.min() ?? 0
        let high = ids.max() ?? -1  // no ids: an empty range
        // A quarantined review (an empty body, a customer or product missing) is scored by no model: re-queued, it
        // was only quarantined again, yet counted as re-scored ("re-queued 1 review and scored it"), and every
        // rescore walked all of them through the pipeline again. The shop's fix re-queues it (the trigger, or the
        // sweeper's look for arrived customers and products). Its current revision's row only: an older one is stale.
        var filters: PostgresQuery = """
             AND NOT EXISTS (SELECT 1 FROM crm.review_quarantine AS q
                             WHERE q.review_id = work.review_id AND q.revision = work.revision)
            """
        if let since = selection.since { filters = filters + " AND r.created_at >= \(since)" }
        if let version = selection.missingModelVersion {
            filters =
                filters + """
                     AND NOT EXISTS (SELECT 1 FROM crm.review_sentiment AS s
                                     WHERE s.review_id = work.review_id AND s.model_version = \(version))
                    """
        }
        return """
            UPDATE crm.review_work AS work SET \(WorkQueue.freshlyQueued)
            FROM shop.reviews AS r
            WHERE work.review_id = ANY(\(ids)) AND r.id = work.review_id
              AND work.review_id BETWEEN \(low) AND \(high) AND r.id BETWEEN \(low) AND \(high)
              AND work.status IN ('completed', 'discarded') \(filters)
            """
    }
}
