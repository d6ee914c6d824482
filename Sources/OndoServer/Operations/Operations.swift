import CRM
import CRMStore
import Foundation
import Logging
import Postgres

/// The operator and admin commands' work (`ondo customer`, `ondo reviews`, `ondo states`), on a small pool.
public struct Operations: Sendable {
    /// The configuration in use.
    public let configuration: OndoConfiguration
    let pool: PostgresPool
    let logger: Logger
    /// How long `rescore` and `recomputeStates` ride out failures in a row (``FailurePatience``); shorter in tests.
    var failurePatienceSeconds = FailurePatience.defaultPatienceSeconds

    /// Opens (lazily) a pool for `configuration`'s application connection.
    public init(configuration: OndoConfiguration, logger: Logger) throws {
        self.configuration = configuration
        self.logger = logger
        pool = PostgresPool(
            configuration: try configuration.database.postgresConfiguration(for: .application), maxConnections: 2,
            logger: logger)
    }

    /// Closes the pool.
    public func close() async {
        await pool.close()
    }

    /// One customer in full; nil when unknown. A review scored by several models shows the score the state engine
    /// reads (the configured model's; the newest when the model file cannot be read, which only a recompute warns of).
    public func customer(_ id: Int64) async throws -> CustomerProfile? {
        let directory = CustomerDirectory(preferredModelVersion: try? ScoringEngine.version(configuration.server))
        return try await onMigratedDatabase { try await pool.withConnection { try directory.profile(id, on: $0) } }
    }

    /// Customers matching `filter`, riskiest first.
    public func customers(_ filter: CustomerDirectory.Filter) async throws -> [CustomerSummary] {
        try await onMigratedDatabase { try await pool.withConnection { try CustomerDirectory().list(filter, on: $0) } }
    }

    /// Whether the shop has customers of which Ondo has assessed none yet (see
    /// ``CustomerDirectory/noneAssessedYet(on:)``).
    public func noCustomerAssessedYet() async throws -> Bool {
        try await pool.withConnection { try CustomerDirectory().noneAssessedYet(on: $0) }
    }

    /// The counts of both work queues: reviews, and customers to recompute.
    public func queueStatus() async throws -> QueueStatus {
        try await onMigratedDatabase {
            try await pool.withConnection { connection in
                var reviews = try WorkQueue(.reviews).status(on: connection)
                reviews.deferredCalls = try DeferredQueueWrites.waiting(on: connection)
                return QueueStatus(reviews: reviews, customerWork: try WorkQueue(.customers).status(on: connection))
            }
        }
    }

    /// Re-queues the discarded work of `queue` (all of it, or that of the given review or customer ids) with a
    /// fresh attempt count, and wakes the servers' workers; returns the ids re-queued.
    public func retryDiscarded(_ queue: WorkQueue.Table, ids: [Int64]?) async throws -> [Int64] {
        try await onMigratedDatabase {
            try await pool.withTransaction(.readCommitted) { connection in
                let work = WorkQueue(queue)
                let requeued = try work.retryDiscarded(ids, on: connection)
                if !requeued.isEmpty { try work.notify(on: connection) }
                return requeued
            }
        }
    }

    /// Runs `body` once the database's schema is found to be the one this build was written for
    /// (``SchemaVersion``): a database without Ondo's schema, one a migration behind, or one a newer Ondo
    /// migrated is refused in the sentence `ondo serve` and `ondo states recompute` give, before anything is read
    /// or written — rather than with PostgreSQL's "relation … does not exist", or with a query that runs on a
    /// schema it was not written for.
    func onMigratedDatabase<Result: Sendable>(
        _ body: () async throws -> Result
    ) async throws -> Result {
        // An operator at a terminal wants the error now, not after a minute of retries.
        try await OndoServe.waitForSchema(pool, patience: .zero, logger: logger)
        return try await body()
    }

    /// The model version whose scores the server prefers when a review has several: the configured model's, as
    /// `ondo serve` with the same configuration would use, so that the two never alternate a customer's state.
    /// Without a usable model file, the newest score of each review counts (and a warning says so). Only the
    /// file's header is read: nothing is scored here.
    private func preferredModelVersion() -> String? {
        do {
            return try ScoringEngine.version(configuration.server)
        } catch {
            logger.warning(
                "no usable sentiment model; each review's newest score is used", metadata: ["ondo.error": "\(error)"])
            return nil
        }
    }

    /// What `ondo states recompute` did.
    public struct StatesRecomputeReport: Sendable {
        /// Customers recomputed.
        public var recomputed = 0
        /// Queued customer work (`crm.customer_work`) the recompute covered and completed, so that no server
        /// recomputes those customers again for it.
        public var completedQueuedWork = 0
        /// Customers whose recompute failed, with the error (their state is as it was).
        public var failed: [(customerId: Int64, error: String)] = []
    }

    /// Recomputes customers' states in this process: all of them, or those due (overdue or never assessed),
    /// 1,000 to a transaction. A chunk that fails for a reason other than the connection is recomputed customer by
    /// customer, so that one customer's bad data fails alone and is reported, and the rest are recomputed.
    public func recomputeStates(
        all: Bool, progress: @escaping @Sendable (OperatorProgress) -> Void
    ) async throws -> StatesRecomputeReport {
        // An operator at a terminal wants the error now, not after a minute of retries.
        try await OndoServe.waitForSchema(pool, patience: .zero, logger: logger)
        let scan = StateRecomputeScan(all: all)
        let states = CustomerStateStore(
            evaluator: StateEvaluator(rules: configuration.states),
            maximumRecheckInterval: configuration.pipeline.maximumRecheckHours * 3_600,
            preferredModelVersion: preferredModelVersion())
        // Returns how much queued customer work the recompute covered and completed.
        @Sendable func recompute(_ ids: [Int64]) async throws -> Int {
            let causes = Dictionary(uniqueKeysWithValues: ids.map { ($0, StateChangeCause.recompute) })
            return try await pool.withTransaction(.readCommitted) {
                try states.recompute(causes, lockWait: .wait, completingQueuedWork: true, on: $0).completedQueuedWork
                    .count
            }
        }
        let started = ContinuousClock.now
        let seconds = { started.duration(to: .now) / .seconds(1) }
        // A database that fails for a while is waited out (FailurePatience); a chunk is recomputed again whole.
        var patience = FailurePatience(
            patienceSeconds: failurePatienceSeconds,
            aftermath: "the customers recomputed so far keep their new states; run the command again to go on")
        let total = try await patiently(&patience) {
            try await pool.withConnection { try scan.count(on: $0) }
        }
        var report = StatesRecomputeReport()
        var after: Int64?  // nil: from the lowest id, which may be 0 or negative
        var done = 0
        while true {
            let lastSeen = after
            let chunk = try await patiently(&patience) {
                try await pool.withConnection { try scan.nextChunk(after: lastSeen, limit: 1_000, on: $0) }
            }
            guard let last = chunk.last else { break }
            let (recomputed, failed) = try await patiently(&patience) {
                try await IsolatedBatch.run(
                    chunk, logger: logger, fallback: "recomputing customers one by one after a failed chunk"
                ) { ids in
                    (recomputed: ids.count, completedQueuedWork: try await recompute(ids))
                }
            }
            report.recomputed += recomputed.map(\.recomputed).reduce(0, +)
            report.completedQueuedWork += recomputed.map(\.completedQueuedWork).reduce(0, +)
            report.failed += failed.map { ($0.item, "\($0.error)") }
            after = last
            done += chunk.count
            progress(
                OperatorProgress(
                    phase: "recomputing", done: done, total: max(total, done),
                    elapsedSeconds: seconds()))
        }
        return report
    }
}
