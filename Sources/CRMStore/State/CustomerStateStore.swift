import CRM
import Foundation
import Postgres

/// Recomputes customers' states in the database: locks each customer, reads its facts, applies the
/// rules and writes the state, appending a history row only for a real transition.
///
/// Every recomputation, whatever its cause, goes through ``recompute(_:lockWait:completingQueuedWork:on:)``, which
/// takes a per-customer advisory lock in one global order, so concurrent workers and schedulers in any number of
/// processes never interleave on a customer and never deadlock.
public struct CustomerStateStore: Sendable {
    /// The rules.
    public let evaluator: StateEvaluator
    /// The scheduler looks at every customer at least this often (seconds), so churn risk stays fresh.
    public let maximumRecheckInterval: TimeInterval
    /// Scores of this model are preferred when a review has several.
    public let preferredModelVersion: String?

    /// Advisory-lock class for customers (the two-key form keeps these apart from single-key locks).
    static let lockClass: Int32 = 0x4F4E_444F  // "ONDO"

    /// Creates the store.
    public init(evaluator: StateEvaluator, maximumRecheckInterval: TimeInterval, preferredModelVersion: String?) {
        self.evaluator = evaluator
        self.maximumRecheckInterval = maximumRecheckInterval
        self.preferredModelVersion = preferredModelVersion
    }

    /// Whether to wait for a customer someone else is recomputing, or skip it.
    public enum LockWait: Sendable {
        /// Wait (the review pipeline: its result must be applied).
        case wait
        /// Skip customers locked elsewhere (the scheduler: whoever holds the lock recomputes anyway).
        case skipLocked
    }

    /// What a recomputation did.
    public struct Result: Sendable {
        /// The new assessment of each recomputed customer.
        public var assessments: [Int64: StateAssessment] = [:]
        /// Real transitions, appended to the history.
        public var transitions: [StateTransition] = []
        /// Customers whose pending customer work this recompute covered and completed (only when asked to).
        public var completedQueuedWork: [Int64] = []

        /// Nothing recomputed.
        public init() {}
    }

    /// Recomputes the given customers, each with its cause. Must run inside a READ COMMITTED transaction
    /// (`PostgresTransactionOptions.readCommitted`, whatever the database's or role's default): the locks are
    /// transaction-scoped, and the facts must be read with a snapshot taken after them — under REPEATABLE READ
    /// the snapshot would predate the wait for a lock, and the state write would fail with a serialization error.
    ///
    /// With `completingQueuedWork` (`ondo states recompute`, the review pipeline's batches), the pending
    /// `crm.customer_work` of each customer whose state it writes is completed in the same transaction when the
    /// facts it read cover that work; work a server holds a lease on is left to it, and work queued by a shop
    /// transaction that committed after the read stays pending.
    public func recompute(
        _ causes: [Int64: StateChangeCause], lockWait: LockWait, completingQueuedWork: Bool = false,
        on connection: PostgresConnection
    ) throws -> Result {
        var result = Result()
        guard !causes.isEmpty else { return result }
        guard connection.isInTransaction else {
            throw PostgresError(code: .misuse, message: "customer states must be recomputed inside a transaction")
        }
        let ids = causes.keys.sorted()
        let locked = try lock(ids, lockWait: lockWait, on: connection)
        guard !locked.isEmpty else { return result }

        // JIT compilation costs 20–60 ms a statement and never pays off for these keyed reads; with statistics
        // that lag behind the tables (right after install, or a table emptied and refilled) the facts query's
        // estimate passed jit_above_cost and every batch paid it until autovacuum caught up. The same round trip
        // reads the transaction's clock and the customers' current states.
        let (now, previous) = try clockAndCurrentStates(locked, on: connection)
        // Read before the facts, in a statement of its own, so in an older snapshot: a work row version it sees was
        // committed, with the shop's change that queued it (the same transaction: the triggers queue inline, and
        // deferred calls are applied after the shop's commit), before the facts' snapshot was taken, so the facts
        // include that change. Comparing `enqueued_at` with the read's time would not do: the trigger sets it
        // (clock_timestamp()) inside the shop's transaction, which may commit after the facts were read (its
        // order unseen) and still carry an earlier time. Only the version read is completed later
        // (``WorkQueue/completeUnchanged(_:on:)`` compares `xmin`): a re-queue after the read is a new version.
        let queuedWork = completingQueuedWork ? try customerWork.pendingVersions(locked, on: connection) : nil
        let query = CustomerFactsQuery(reviewWindowDays: reviewWindowDays, preferredModelVersion: preferredModelVersion)
        let facts = try query.load(locked, at: now, on: connection)

        var rows: [StateRow] = []
        for (id, customerFacts) in facts.sorted(by: { $0.key < $1.key }) {
            guard let cause = causes[id] else { continue }
            let assessment = evaluator.assess(customerFacts, at: now)
            let recheck = evaluator.nextRecheck(for: customerFacts, at: now, maximumInterval: maximumRecheckInterval)
            result.assessments[id] = assessment
            if previous[id] != assessment.state {
                result.transitions.append(
                    StateTransition(
                        customerId: id, from: previous[id], to: assessment.state, churnRisk: assessment.churnRisk,
                        reasons: assessment.reasons, cause: cause))
            }
            rows.append(StateRow(customerId: id, assessment: assessment, recheckAt: recheck, cause: cause))
        }
        try write(rows, at: now, on: connection)
        try appendHistory(result.transitions, at: now, on: connection)
        if let queuedWork {
            // Only customers whose state was written: one missing from the shop got nothing from this recompute.
            result.completedQueuedWork = try customerWork.completeUnchanged(
                queuedWork.only(rows.map(\.customerId)), on: connection)
        }
        return result
    }

    private var customerWork: WorkQueue { WorkQueue(.customers) }

    /// Reviews older than this carry almost no weight (under 2 % after six half-lives) and are not read.
    var reviewWindowDays: Double {
        min(max(evaluator.rules.sentimentHalfLifeDays * 6, evaluator.rules.recentNegativeDays), 3_650)
    }

    private func lock(_ ids: [Int64], lockWait: LockWait, on connection: PostgresConnection) throws -> [Int64] {
        switch lockWait {
        case .wait:
            // Acquired in lock-key order in every session, so two sessions can't wait on each other.
            try connection.execute(
                """
                SELECT pg_advisory_xact_lock(\(Self.lockClass), k.key)
                FROM (SELECT DISTINCT hashint8(id) AS key FROM unnest(\(ids)) AS id ORDER BY 1) AS k
                """, prepared: true)
            return ids
        case .skipLocked:
            return try connection.query(
                """
                SELECT id FROM unnest(\(ids)) AS id
                WHERE pg_try_advisory_xact_lock(\(Self.lockClass), hashint8(id))
                ORDER BY id
                """
            ).map { try $0.decode(Int64.self, "id") }
        }
    }

    /// The time every row of this recompute carries, with JIT turned off for the rest of the transaction, and the
    /// current state of each of `ids` that has one; one statement, one row whatever the ids. Planned for each
    /// call, not prepared, as ``WorkQueue``'s lookups by key are: the table starts empty on a fresh install.
    ///
    /// The time is this statement's, read after the customers' locks were taken, not the transaction's start
    /// (`now()`): a recompute that waited for another one's lock must not stamp its state and history earlier
    /// than the one it waited for, nor evaluate the time rules at a moment before that one's.
    private func clockAndCurrentStates(
        _ ids: [Int64], on connection: PostgresConnection
    ) throws -> (now: Date, states: [Int64: CustomerState]) {
        let row = try connection.query(
            """
            SELECT statement_timestamp() AS now, set_config('jit', 'off', true) AS jit,
                   current_setting('transaction_isolation') AS isolation,
                   coalesce(array_agg(customer_id ORDER BY customer_id), '{}') AS ids,
                   coalesce(array_agg(state ORDER BY customer_id), '{}') AS states
            FROM crm.customer_state WHERE customer_id = ANY(\(ids))
            """)[0]
        let isolation = try row.decode(String.self, "isolation")
        guard isolation == "read committed" else {
            throw PostgresError(
                code: .misuse,
                message:
                    "customer states must be recomputed in a READ COMMITTED transaction (this one is \(isolation)); "
                    + "begin it with PostgresTransactionOptions.readCommitted")
        }
        let stateIds = try row.decode([Int64].self, "ids")
        let stateNames = try row.decode([String].self, "states")
        var states: [Int64: CustomerState] = [:]
        for (id, name) in zip(stateIds, stateNames) { states[id] = CustomerState(rawValue: name) }
        return (try row.decode(Date.self, "now"), states)
    }

    /// Updates the rows of customers that have one and inserts the others. A recheck time that has not passed yet
    /// is never moved later (an earlier look is harmless; the rules are evaluated afresh then): with the state
    /// unchanged, the row's indexed columns stay as they were and the rewrite is a heap-only update, with no index
    /// entries (see migration 0011). Not `INSERT … ON CONFLICT DO UPDATE`, which locks the row it updates first,
    /// one more WAL record (50 bytes) per recompute: the customers' advisory locks already keep every other
    /// writer of these rows out.
    private func write(_ rows: [StateRow], at now: Date, on connection: PostgresConnection) throws {
        guard !rows.isEmpty else { return }
        let payload = try PostgresJSON(array: rows)
        try connection.execute(
            """
            WITH r AS (
                SELECT * FROM jsonb_to_recordset(\(payload)) AS r(
                    customer_id bigint, state text, churn_risk float8, sentiment_score float8, reasons jsonb,
                    recheck_at float8, cause text, cause_id bigint)
            ), updated AS (
                UPDATE crm.customer_state AS current SET
                    state = r.state, churn_risk = r.churn_risk, sentiment_score = r.sentiment_score,
                    reasons = r.reasons, updated_at = \(now),
                    recheck_at = CASE WHEN current.recheck_at > \(now)
                        THEN least(current.recheck_at, to_timestamp(r.recheck_at)) ELSE to_timestamp(r.recheck_at) END,
                    cause = r.cause, cause_id = r.cause_id,
                    state_since = CASE WHEN current.state = r.state THEN current.state_since ELSE \(now) END
                FROM r WHERE current.customer_id = ANY(\(rows.map(\.customerId))) AND current.customer_id = r.customer_id
                RETURNING current.customer_id
            )
            INSERT INTO crm.customer_state
                (customer_id, state, churn_risk, sentiment_score, reasons, state_since, updated_at, recheck_at, cause, cause_id)
            SELECT r.customer_id, r.state, r.churn_risk, r.sentiment_score, r.reasons, \(now), \(now),
                   to_timestamp(r.recheck_at), r.cause, r.cause_id
            FROM r WHERE r.customer_id NOT IN (SELECT customer_id FROM updated)
            """)
    }

    private func appendHistory(_ transitions: [StateTransition], at now: Date, on connection: PostgresConnection) throws
    {
        guard !transitions.isEmpty else { return }
        let payload = try PostgresJSON(array: transitions.map(HistoryRow.init))
        try connection.execute(
            """
            INSERT INTO crm.customer_state_history
                (customer_id, from_state, to_state, churn_risk, reasons, cause, cause_id, changed_at)
            SELECT h.customer_id, h.from_state, h.to_state, h.churn_risk, h.reasons, h.cause, h.cause_id, \(now)
            FROM jsonb_to_recordset(\(payload)) AS h(
                customer_id bigint, from_state text, to_state text, churn_risk float8, reasons jsonb, cause text,
                cause_id bigint)
            """, prepared: true)
    }
}

/// One `crm.customer_state` row as sent to `jsonb_to_recordset`.
private struct StateRow: JSONWritable {
    var customerId: Int64
    var assessment: StateAssessment
    var recheckAt: Date
    var cause: StateChangeCause

    func write(to json: inout JSONWriter) {
        json.object { json in
            json.field("customer_id", customerId)
            json.field("state", assessment.state.rawValue)
            json.field("churn_risk", assessment.churnRisk)
            json.field("sentiment_score", assessment.sentimentScore)
            json.field("reasons", assessment.reasons)
            json.field("recheck_at", recheckAt.timeIntervalSince1970)
            json.field("cause", cause.kind)
            json.field("cause_id", cause.referenceId)
        }
    }
}

/// One `crm.customer_state_history` row as sent to `jsonb_to_recordset`.
private struct HistoryRow: JSONWritable {
    var transition: StateTransition

    func write(to json: inout JSONWriter) {
        json.object { json in
            json.field("customer_id", transition.customerId)
            json.field("from_state", transition.from?.rawValue)
            json.field("to_state", transition.to.rawValue)
            json.field("churn_risk", transition.churnRisk)
            json.field("reasons", transition.reasons)
            json.field("cause", transition.cause.kind)
            json.field("cause_id", transition.cause.referenceId)
        }
    }
}
