import CRM
import Foundation
import Postgres

/// Writes a batch of review verdicts in one transaction, fenced by the lease token: sentiment rows,
/// quarantine rows, the affected customers' states, and the completed work rows. Work whose lease was
/// taken over (a stale worker, or a review the shop edited meanwhile) is left untouched.
public struct ReviewResultStore: Sendable {
    /// The model whose scores these are.
    public let modelVersion: String
    /// Scores at or above this are labelled positive.
    public let positiveThreshold: Double
    /// Recomputes the customers' states.
    public let states: CustomerStateStore

    private let queue = WorkQueue(.reviews)

    /// Creates the store.
    public init(modelVersion: String, positiveThreshold: Double = 0.5, states: CustomerStateStore) {
        self.modelVersion = modelVersion
        self.positiveThreshold = positiveThreshold
        self.states = states
    }

    /// What one batch changed.
    public struct Outcome: Sendable {
        /// Reviews completed (scored, quarantined or vanished).
        public var completed: [Int64] = []
        /// Reviews whose lease was lost: nothing written for them.
        public var fenced: [Int64] = []
        /// Reviews to be quarantined for a missing customer or product that has arrived since the worker read
        /// them: pending again, claimable at once and with no attempt counted (``ArrivedReferences``).
        public var requeued: [Int64] = []
        /// Quarantined reviews by reason.
        public var quarantined: [QuarantineReason: Int] = [:]
        /// State transitions the batch caused.
        public var transitions: [StateTransition] = []
        /// Customers recomputed.
        public var customersRecomputed = 0
        /// Customers whose pending customer work (a signup, an order) the recompute covered, completed with the batch.
        public var customerWorkCompleted: [Int64] = []

        /// Nothing yet.
        public init() {}

        /// Adds another outcome's counts to this one.
        public mutating func merge(_ other: Outcome) {
            completed += other.completed
            fenced += other.fenced
            requeued += other.requeued
            quarantined.merge(other.quarantined, uniquingKeysWith: +)
            transitions += other.transitions
            customersRecomputed += other.customersRecomputed
            customerWorkCompleted += other.customerWorkCompleted
        }
    }

    /// Writes the verdicts (one transaction; call it with a connection outside any transaction).
    public func apply(_ verdicts: [ReviewVerdict], token: UUID, on connection: PostgresConnection) throws -> Outcome {
        try connection.withTransaction(.readCommitted) { connection in
            var outcome = Outcome()
            let owned = try queue.lockLeased(verdicts.map(\.work.key), token: token, on: connection)
            outcome.fenced = verdicts.map(\.work.key).filter { !owned.contains($0) }
            let waited = verdicts.filter { owned.contains($0.work.key) && $0.outcome.isWaitingForReference }
            let arrived = try ArrivedReferences.requeue(waited.map(\.work.key), token: token, on: connection)
            outcome.requeued = waited.map(\.work.key).filter { arrived.contains($0) }
            let kept = verdicts.filter { owned.contains($0.work.key) && !arrived.contains($0.work.key) }
            guard !kept.isEmpty else { return outcome }

            try writeSentiment(kept, on: connection)
            try writeQuarantine(kept, on: connection)
            try forgetVanished(kept, on: connection)
            for verdict in kept {
                if case .quarantined(let reason, _) = verdict.outcome { outcome.quarantined[reason, default: 0] += 1 }
            }

            // Each customer is recomputed once, caused by its newest review in the batch.
            var causes: [Int64: StateChangeCause] = [:]
            for verdict in kept.sorted(by: { $0.work.key < $1.work.key }) {
                guard let review = verdict.review, review.customerKnown else { continue }
                causes[review.customerId] = .review(id: review.id)
            }
            // Pending customer work (a signup, an order) queued before the facts were read is covered by this
            // recompute: completed here rather than claimed later for a second recompute of the same facts.
            let recomputed = try states.recompute(causes, lockWait: .wait, completingQueuedWork: true, on: connection)
            outcome.transitions = recomputed.transitions
            outcome.customersRecomputed = recomputed.assessments.count
            outcome.customerWorkCompleted = recomputed.completedQueuedWork

            outcome.completed = kept.map(\.work.key)
            try queue.complete(outcome.completed, token: token, on: connection)
            return outcome
        }
    }

    private func writeSentiment(_ verdicts: [ReviewVerdict], on connection: PostgresConnection) throws {
        let rows: [SentimentRow] = verdicts.compactMap { verdict in
            guard case .scored(let probability, let aspects) = verdict.outcome, let review = verdict.review else {
                return nil
            }
            return SentimentRow(
                review: ReviewColumns(review, revision: verdict.work.revision), probability: probability,
                label: probability >= positiveThreshold ? "positive" : "negative", aspects: aspects)
        }
        let scoredIds = rows.map(\.review.reviewId)
        guard !rows.isEmpty else { return }
        // Rows of this model are updated and the rest inserted, rather than `INSERT … ON CONFLICT DO UPDATE`: a
        // speculative insertion costs one more WAL record per row (48 bytes), and nobody else writes these rows
        // meanwhile — the batch holds each review's work row locked, under its lease, until it commits. The key
        // array lets the planner look the rows up by key: joined to the recordset alone (estimated at 100 rows),
        // a young score table was read whole for every batch (19.8 µs a review against 7.3 for the upsert).
        try connection.execute(
            """
            WITH r AS (
                SELECT * FROM jsonb_to_recordset(\(try PostgresJSON(array: rows))) AS r(
                    review_id bigint, customer_id bigint, product_id bigint, revision integer, probability real,
                    label text, aspects text[])
            ), rescored AS (
                UPDATE crm.review_sentiment AS s SET
                    customer_id = r.customer_id, product_id = r.product_id, revision = r.revision,
                    probability = r.probability, label = r.label, aspects = r.aspects, scored_at = now()
                FROM r WHERE s.review_id = ANY(\(scoredIds)) AND s.model_version = \(modelVersion)
                    AND s.review_id = r.review_id
                RETURNING s.review_id
            )
            INSERT INTO crm.review_sentiment
                (review_id, model_version, customer_id, product_id, revision, probability, label, aspects, scored_at)
            SELECT r.review_id, \(modelVersion), r.customer_id, r.product_id, r.revision, r.probability, r.label,
                   r.aspects, now()
            FROM r WHERE r.review_id NOT IN (SELECT review_id FROM rescored)
            """)
        // A review that is scorable now is no longer quarantined.
        try connection.execute("DELETE FROM crm.review_quarantine WHERE review_id = ANY(\(scoredIds))", prepared: true)
    }

    private func writeQuarantine(_ verdicts: [ReviewVerdict], on connection: PostgresConnection) throws {
        let rows: [QuarantineRow] = verdicts.compactMap { verdict in
            guard case .quarantined(let reason, let detail) = verdict.outcome, let review = verdict.review else {
                return nil
            }
            return QuarantineRow(
                review: ReviewColumns(review, revision: verdict.work.revision), reason: reason.rawValue, detail: detail)
        }
        guard !rows.isEmpty else { return }
        try connection.execute(
            """
            INSERT INTO crm.review_quarantine AS q (review_id, customer_id, product_id, revision, reason, detail, quarantined_at)
            SELECT r.review_id, r.customer_id, r.product_id, r.revision, r.reason, r.detail, now()
            FROM jsonb_to_recordset(\(try PostgresJSON(array: rows))) AS r(
                review_id bigint, customer_id bigint, product_id bigint, revision integer, reason text, detail text)
            ON CONFLICT (review_id) DO UPDATE SET
                customer_id = EXCLUDED.customer_id, product_id = EXCLUDED.product_id, revision = EXCLUDED.revision,
                reason = EXCLUDED.reason, detail = EXCLUDED.detail, quarantined_at = EXCLUDED.quarantined_at
            """)
        // A quarantined text has no current score.
        try connection.execute(
            """
            DELETE FROM crm.review_sentiment WHERE review_id = ANY(\(rows.map(\.review.reviewId)))
            """)
    }
}

extension ReviewResultStore {
    /// Deletes the score and quarantine rows of reviews that no longer exist (an operator deleted one, or the shop
    /// gave it another id, under which it is queued anew): a quarantine row left behind had the lease sweeper's
    /// catch-up (``QuarantineCatchUp``) re-queue the missing review on every sweep once its customer or product
    /// existed.
    fileprivate func forgetVanished(_ verdicts: [ReviewVerdict], on connection: PostgresConnection) throws {
        let ids = verdicts.filter { $0.outcome == .vanished }.map(\.work.key)
        guard !ids.isEmpty else { return }
        try connection.execute("DELETE FROM crm.review_quarantine WHERE review_id = ANY(\(ids))")
        try connection.execute("DELETE FROM crm.review_sentiment WHERE review_id = ANY(\(ids))")
    }
}

/// The columns that sentiment and quarantine rows share: which review, whose, about what, which revision.
private struct ReviewColumns {
    var reviewId: Int64
    var customerId: Int64
    var productId: Int64
    var revision: Int

    init(_ review: ReviewRecord, revision: Int) {
        reviewId = review.id
        customerId = review.customerId
        productId = review.productId
        self.revision = revision
    }

    func writeFields(to json: inout JSONWriter) {
        json.field("review_id", reviewId)
        json.field("customer_id", customerId)
        json.field("product_id", productId)
        json.field("revision", revision)
    }
}

private struct SentimentRow: JSONWritable {
    var review: ReviewColumns
    var probability: Double
    var label: String
    var aspects: [String]

    func write(to json: inout JSONWriter) {
        json.object { json in
            review.writeFields(to: &json)
            json.field("probability", probability)
            json.field("label", label)
            json.field("aspects", aspects)
        }
    }
}

private struct QuarantineRow: JSONWritable {
    var review: ReviewColumns
    var reason: String
    var detail: String

    func write(to json: inout JSONWriter) {
        json.object { json in
            review.writeFields(to: &json)
            json.field("reason", reason)
            json.field("detail", detail)
        }
    }
}
