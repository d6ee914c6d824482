import CRM
import Foundation
import Postgres

/// A Postgres-backed work queue table (`crm.review_work` or `crm.customer_work`): one row per key, claimed in
/// batches with `FOR UPDATE SKIP LOCKED` and a lease (token + expiry), completed only while the lease holds.
///
/// Every method runs on the connection it is given, inside whatever transaction the caller opened; that must be
/// READ COMMITTED (`PostgresTransactionOptions.readCommitted`): the lease checks must see rows others changed
/// since the transaction began.
///
/// Lookups by an array of keys are planned for each call, not prepared: a generic plan settles on the table as it
/// was when a long-lived connection ran the statement a sixth time, and on a young queue that is a sequential scan
/// comparing every row with every key one by one, kept as the table grows until an ANALYZE replans
/// (`GrowingTablePlanTests`).
public struct WorkQueue: Sendable {
    /// The two queues Ondo keeps.
    public enum Table: String, Sendable, CaseIterable {
        /// Reviews to score (`crm.review_work`, key `review_id`).
        case reviews
        /// Customers to recompute after an order or signup (`crm.customer_work`, key `customer_id`).
        case customers

        var name: String { self == .reviews ? "review_work" : "customer_work" }
        var key: String { self == .reviews ? "review_id" : "customer_id" }
        /// Only reviews have revisions (bumped when the shop edits one); customer work reports 0.
        var revision: PostgresQuery { self == .reviews ? "work.revision" : "0" }
    }

    /// The queue table.
    public let table: Table

    /// A queue over `table`.
    public init(_ table: Table) {
        self.table = table
    }

    var qualifiedTable: PostgresQuery { "crm.\(identifier: table.name)" }
    var key: PostgresQuery { "\(identifier: table.key)" }

    /// Claims up to `limit` available pending rows, oldest first, for `lease` seconds under `token`.
    /// Each claim counts as an attempt.
    public func claim(limit: Int, leaseSeconds: Double, token: UUID, on connection: PostgresConnection) throws
        -> [ClaimedWork]
    {
        let query: PostgresQuery = """
            WITH picked AS (
                SELECT \(key) FROM \(qualifiedTable)
                WHERE status = 'pending' AND available_at <= now()
                ORDER BY available_at
                LIMIT \(limit)
                FOR UPDATE SKIP LOCKED
            )
            UPDATE \(qualifiedTable) AS work SET
                status = 'processing', lease_token = \(token),
                lease_expires_at = now() + make_interval(secs => \(leaseSeconds)),
                attempts = work.attempts + 1, updated_at = now()
            FROM picked WHERE work.\(key) = picked.\(key)
            RETURNING work.\(key) AS key, work.customer_id, \(table.revision) AS revision, work.attempts, work.enqueued_at
            """
        // Not prepared: a generic plan cannot know the LIMIT and reads the whole table instead of the claim index.
        return try connection.query(query).map { row in
            ClaimedWork(
                key: try row.decode(Int64.self, "key"), customerId: try row.decode(Int64.self, "customer_id"),
                revision: try row.decode(Int.self, "revision"), attempts: try row.decode(Int.self, "attempts"),
                enqueuedAt: try row.decode(Date.self, "enqueued_at"))
        }
    }

    /// Locks the rows of `keys` still leased under `token` and returns their keys. Call it first in the
    /// transaction that writes a batch's effects: work whose lease was taken over is left out.
    ///
    /// A row someone else holds locked is not waited for like a normal lock: the shop's triggers lock a work row
    /// only to re-queue it (an edited or moved review, a customer or product that arrived), and the sweeper only
    /// to take an expired lease, so that lease is lost either way; waiting would hold the batch (and a graceful
    /// shutdown) for as long as the shop's transaction stays open, and could deadlock with it. But another
    /// worker's claim can hold a row this worker has just claimed locked for the rest of its statement (it
    /// follows the row's update chain, then finds it no longer pending), so a row that is locked but still
    /// leased under `token` is tried again for a moment (``lockRetryDelays``, about 0.6 s) before it is left out.
    public func lockLeased(_ keys: [Int64], token: UUID, on connection: PostgresConnection) throws -> Set<Int64> {
        try retryingRowsLockedByOthers(keys, token: token, on: connection) { wanted in
            Set(
                try connection.query(
                    """
                    SELECT \(key) AS key FROM \(qualifiedTable)
                    WHERE \(key) = ANY(\(wanted)) AND lease_token = \(token) AND status = 'processing'
                    ORDER BY \(key) FOR UPDATE SKIP LOCKED
                    """
                ).map { try $0.decode(Int64.self, "key") })
        }
    }

    /// Runs `attempt` (which skips rows others hold locked and returns the keys it took) on `keys`, then again on
    /// those it did not take but whose committed row is still leased under `token`, after each of
    /// ``lockRetryDelays``; returns every key taken.
    private func retryingRowsLockedByOthers(
        _ keys: [Int64], token: UUID, on connection: PostgresConnection, _ attempt: ([Int64]) throws -> Set<Int64>
    ) throws -> Set<Int64> {
        var taken: Set<Int64> = []
        var wanted = keys
        for delay in [0] + Self.lockRetryDelays {
            if delay > 0 { Thread.sleep(forTimeInterval: delay) }
            taken.formUnion(try attempt(wanted))
            wanted = try stillLeased(wanted.filter { !taken.contains($0) }, token: token, on: connection)
            if wanted.isEmpty { break }
        }
        return taken
    }

    /// Pauses between attempts to lock a leased row someone else holds locked (seconds; about 0.6 s in all): a
    /// claim's hold lasts milliseconds (longer on a loaded machine), a shop transaction's may last minutes.
    static let lockRetryDelays: [Double] = [0.002, 0.005, 0.01, 0.02, 0.04, 0.08, 0.1, 0.15, 0.2]

    /// Those of `keys` whose committed row is still leased under `token` (read without locking).
    private func stillLeased(_ keys: [Int64], token: UUID, on connection: PostgresConnection) throws -> [Int64] {
        guard !keys.isEmpty else { return [] }
        return try connection.query(
            """
            SELECT \(key) AS key FROM \(qualifiedTable)
            WHERE \(key) = ANY(\(keys)) AND lease_token = \(token) AND status = 'processing'
            ORDER BY \(key)
            """
        ).map { try $0.decode(Int64.self, "key") }
    }

    /// Marks leased rows completed; returns how many were.
    @discardableResult
    public func complete(_ keys: [Int64], token: UUID, on connection: PostgresConnection) throws -> Int {
        try connection.execute(
            """
            UPDATE \(qualifiedTable) SET \(Self.completedNow)
            WHERE \(key) = ANY(\(keys)) AND lease_token = \(token)
            """)
    }

    /// The assignments that mark a row done: completed now, no lease, no error.
    static let completedNow: PostgresQuery = """
        status = 'completed', completed_at = clock_timestamp(), lease_token = NULL, lease_expires_at = NULL,
        last_error = NULL, updated_at = now()
        """

    /// Records a failed attempt of a leased row: back to pending after the policy's delay, or discarded.
    /// Returns false when the lease was lost (nothing changed), or when someone else keeps the row locked, which
    /// only a re-queue or a sweep does for long (see ``lockLeased(_:token:on:)``).
    @discardableResult
    public func fail(
        _ workKey: Int64, token: UUID, error: String, decision: RetryPolicy.Decision, on connection: PostgresConnection
    ) throws -> Bool {
        let message = String(error.prefix(2_000))
        let change: PostgresQuery
        switch decision {
        case .retry(let seconds):
            change = """
                status = 'pending', available_at = now() + make_interval(secs => \(seconds)),
                lease_token = NULL, lease_expires_at = NULL, last_error = \(message), updated_at = now()
                """
        case .discard:
            change = """
                status = 'discarded', lease_token = NULL, lease_expires_at = NULL, last_error = \(message),
                updated_at = now()
                """
        }
        let recorded = try retryingRowsLockedByOthers([workKey], token: token, on: connection) { _ in
            let updated = try connection.execute(
                """
                WITH leased AS (
                    SELECT \(key) FROM \(qualifiedTable)
                    WHERE \(key) = \(workKey) AND lease_token = \(token) FOR UPDATE SKIP LOCKED
                )
                UPDATE \(qualifiedTable) AS work SET \(change)
                FROM leased WHERE work.\(key) = leased.\(key)
                """)
            return updated == 1 ? [workKey] : []
        }
        return !recorded.isEmpty
    }

    /// Gives the rows still leased under `tokens` back to the queue, claimable at once and with the claim's attempt
    /// uncounted (the work was not tried, only interrupted); returns how many. Rows someone else holds locked — a
    /// batch write in progress, which completes them or rolls back, or a shop trigger re-queueing them — are left
    /// alone rather than waited for.
    @discardableResult
    public func giveBack(_ tokens: [UUID], on connection: PostgresConnection) throws -> Int {
        guard !tokens.isEmpty else { return 0 }
        return try connection.execute(
            """
            WITH held AS (
                SELECT \(key) FROM \(qualifiedTable)
                WHERE lease_token = ANY(\(tokens))
                    AND status = 'processing'
                FOR UPDATE SKIP LOCKED
            )
            UPDATE \(qualifiedTable) AS work SET
                status = 'pending', available_at = now(), attempts = greatest(work.attempts - 1, 0),
                lease_token = NULL, lease_expires_at = NULL, updated_at = now()
            FROM held WHERE work.\(key) = held.\(key)
            """)
    }

    /// How many rows are still leased under `tokens` (read without locking): after ``giveBack(_:on:)``, those a
    /// transaction that has not ended keeps locked, which wait for their leases to expire.
    public func leasedCount(_ tokens: [UUID], on connection: PostgresConnection) throws -> Int {
        guard !tokens.isEmpty else { return 0 }
        return try connection.queryValue(
            Int.self,
            """
            SELECT count(*) FROM \(qualifiedTable) WHERE lease_token = ANY(\(tokens)) AND status = 'processing'
            """)
    }

    /// What a sweep did.
    public struct SweepResult: Sendable, Equatable {
        /// Expired leases made pending again.
        public var requeued: Int
        /// Expired leases on their last attempt, now discarded.
        public var discarded: Int
    }

    /// Returns work whose lease expired (its worker died or stalled) to the queue, or discards it when it
    /// has used `maximumAttempts`. Rows someone else holds locked (a worker writing its batch, a shop trigger
    /// re-queueing) are left for the next sweep rather than waited for.
    public func sweepExpiredLeases(maximumAttempts: Int, on connection: PostgresConnection) throws -> SweepResult {
        try endLeases(
            where: "lease_expires_at < now()", maximumAttempts: maximumAttempts,
            lastAttempt: """
                'lease expired on the last attempt (worker died or stalled)'
                    || coalesce('; the attempt before failed with: ' || work.last_error, '')
                """,
            otherwise: "work.last_error", on: connection)
    }

    /// Ends the lease `token` of a batch that failed as a whole (its worker lost the database mid-batch, and the
    /// retries ran out) before the lease expires, as the sweep would once it had: each row still leased goes back
    /// to the queue with `error` recorded and the attempt counted, or is discarded when it has used
    /// `maximumAttempts`. Rows someone else holds locked (a write of the batch that is still running on the server)
    /// are left to that transaction and, should it roll back, to the sweep.
    public func endFailedLease(
        _ token: UUID, error: String, maximumAttempts: Int, on connection: PostgresConnection
    ) throws -> SweepResult {
        let message = String(error.prefix(2_000))
        return try endLeases(
            where: "lease_token = \(token)", maximumAttempts: maximumAttempts,
            lastAttempt: "'its batch failed on the last attempt: ' || \(message)", otherwise: "\(message)",
            on: connection)
    }

    /// Makes the leased rows matching `condition` pending again, or discarded when they have used
    /// `maximumAttempts`, with `last_error` set to `lastAttempt` or `otherwise` (SQL expressions over `work`).
    private func endLeases(
        where condition: PostgresQuery, maximumAttempts: Int, lastAttempt: PostgresQuery, otherwise: PostgresQuery,
        on connection: PostgresConnection
    ) throws -> SweepResult {
        let rows = try connection.query(
            """
            WITH ended AS (
                SELECT \(key) FROM \(qualifiedTable)
                WHERE status = 'processing' AND \(condition)
                FOR UPDATE SKIP LOCKED
            )
            UPDATE \(qualifiedTable) AS work SET
                status = CASE WHEN work.attempts >= \(maximumAttempts) THEN 'discarded' ELSE 'pending' END,
                available_at = now(), lease_token = NULL, lease_expires_at = NULL,
                last_error = CASE WHEN work.attempts >= \(maximumAttempts) THEN \(lastAttempt) ELSE \(otherwise) END,
                updated_at = now()
            FROM ended WHERE work.\(key) = ended.\(key)
            RETURNING work.status
            """)
        let discarded = try rows.filter { try $0.decode(String.self, "status") == "discarded" }.count
        return SweepResult(requeued: rows.count - discarded, discarded: discarded)
    }

    /// Counts rows by status and the age of the oldest unfinished one.
    public func status(on connection: PostgresConnection) throws -> WorkQueueStatus {
        let row = try connection.query(
            """
            SELECT count(*) FILTER (WHERE status = 'pending') AS pending,
                   count(*) FILTER (WHERE status = 'processing') AS processing,
                   count(*) FILTER (WHERE status = 'completed') AS completed,
                   count(*) FILTER (WHERE status = 'discarded') AS discarded,
                   coalesce(extract(epoch FROM now() - min(enqueued_at) FILTER (WHERE status IN ('pending', 'processing'))), 0)::float8
                       AS oldest_seconds,
                   count(*) FILTER (WHERE status = 'completed' AND completed_at > now() - interval '1 minute') AS last_minute,
                   count(*) FILTER (WHERE status = 'completed' AND completed_at > now() - interval '5 minutes') AS last_five_minutes
            FROM \(qualifiedTable)
            """)[0]
        return WorkQueueStatus(
            pending: try row.decode(Int.self, "pending"), processing: try row.decode(Int.self, "processing"),
            completed: try row.decode(Int.self, "completed"), discarded: try row.decode(Int.self, "discarded"),
            oldestUnprocessedSeconds: try row.decode(Double.self, "oldest_seconds"),
            completedLastMinute: try row.decode(Int.self, "last_minute"),
            completedLastFiveMinutes: try row.decode(Int.self, "last_five_minutes"))
    }

    /// The unfinished part of the queue only (cheap on a large table: it reads the partial indexes' rows).
    public func backlog(on connection: PostgresConnection) throws -> (
        pending: Int, processing: Int, oldestSeconds: Double
    ) {
        let row = try connection.query(
            """
            SELECT (SELECT count(*) FROM \(qualifiedTable) WHERE status = 'pending') AS pending,
                   (SELECT count(*) FROM \(qualifiedTable) WHERE status = 'processing') AS processing,
                   coalesce(extract(epoch FROM now() - least(
                       (SELECT min(enqueued_at) FROM \(qualifiedTable) WHERE status = 'pending'),
                       (SELECT min(enqueued_at) FROM \(qualifiedTable) WHERE status = 'processing'))), 0)::float8 AS oldest
            """)[0]
        return (
            try row.decode(Int.self, "pending"), try row.decode(Int.self, "processing"),
            try row.decode(Double.self, "oldest")
        )
    }

    /// Makes discarded rows (all, or only `keys`) pending again with a fresh attempt count; returns the keys of
    /// those it re-queued, in order (a given key missing from them was not discarded).
    @discardableResult
    public func retryDiscarded(_ keys: [Int64]?, on connection: PostgresConnection) throws -> [Int64] {
        var filter: PostgresQuery = ""
        if let keys { filter = "AND \(key) = ANY(\(keys))" }
        return try connection.query(
            """
            UPDATE \(qualifiedTable) SET \(Self.freshlyQueued)
            WHERE status = 'discarded' \(filter)
            RETURNING \(key) AS key
            """
        ).map { try $0.decode(Int64.self, "key") }.sorted()
    }

    /// The assignments that put a row back in the queue as if the shop had just queued it: pending now, no lease,
    /// no attempts and no error so far.
    static let freshlyQueued: PostgresQuery = """
        status = 'pending', attempts = 0, available_at = now(), last_error = NULL, lease_token = NULL,
        lease_expires_at = NULL, enqueued_at = clock_timestamp(), completed_at = NULL, updated_at = now()
        """

    /// Wakes sleeping workers of this queue (in every `ondo serve` process) at commit.
    public func notify(on connection: PostgresConnection) throws {
        try connection.execute("SELECT pg_notify(\(Self.channel(table)), '')")
    }

    /// The NOTIFY channel the queue's triggers signal.
    public static func channel(_ table: Table) -> String {
        table == .reviews ? "ondo_review_work" : "ondo_customer_work"
    }
}

/// One claimed row of a work queue.
public struct ClaimedWork: Sendable, Equatable {
    /// `review_id` or `customer_id`.
    public var key: Int64
    /// The customer the work belongs to.
    public var customerId: Int64
    /// The review's revision when claimed (0 for customer work).
    public var revision: Int
    /// Attempts so far, this one included.
    public var attempts: Int
    /// When the shop's change was queued (its commit, give or take the transaction's length).
    public var enqueuedAt: Date
}

/// A work queue's counts, as `ondo reviews status` shows them.
public struct WorkQueueStatus: Sendable, Equatable, Codable {
    /// Waiting to be claimed (including retries backing off).
    public var pending: Int
    /// Claimed by a worker right now.
    public var processing: Int
    /// Done.
    public var completed: Int
    /// Given up after the last attempt; see `last_error`, re-queue with `ondo reviews retry --discarded` (reviews)
    /// or `ondo states retry --discarded` (customer work).
    public var discarded: Int
    /// Age of the oldest pending or processing row; 0 when none.
    public var oldestUnprocessedSeconds: Double
    /// Completed in the last minute.
    public var completedLastMinute: Int
    /// Completed in the last five minutes.
    public var completedLastFiveMinutes: Int
    /// Queue calls that shop transactions outside READ COMMITTED deferred and no server has applied yet (for both
    /// queues: ``DeferredQueueWrites``); their reviews are not in the other counts until then.
    public var deferredCalls = 0

    /// Pending plus processing.
    public var backlog: Int { pending + processing }
}
