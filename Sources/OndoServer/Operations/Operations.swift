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

    /// Re-queues finished reviews (optionally only those written since `since`, and by default only those the
    /// current model has not scored), then scores the queue in this process — running servers help — until
    /// every review queued by the end of the re-queueing (the re-queued ones and any backlog before them) is
    /// finished. Reviews the shop inserts or edits later are scored too while this runs, but not waited for:
    /// on a busy shop the queue is never empty. Returns how many reviews were re-queued, and how many it waited for.
    public func rescore(
        since: Date?, everyReview: Bool, progress: @escaping @Sendable (OperatorProgress) -> Void
    ) async throws -> RescoreOutcome {
        let engine = try ScoringEngine.load(configuration.server, logger: logger)
        // An operator at a terminal wants the error now, not after a minute of retries.
        try await OndoServe.waitForSchema(pool, patience: .zero, logger: logger)
        let selection = RescoreQueue.Selection(since: since, missingModelVersion: everyReview ? nil : engine.version)
        // From here on a database that fails for a while (a restart, a failover) is waited for: see RescorePatience.
        let started = ContinuousClock.now
        let seconds = { started.duration(to: .now) / .seconds(1) }
        var patience = RescorePatience()
        let requeued = try await requeueInChunks(selection, patience: &patience, progress: progress)
        let cutoff = try await patiently(&patience, seconds) {
            try await self.pool.withConnection { try RescoreQueue().clock(on: $0) }
        }

        let context = PipelineContext.make(
            configuration: configuration, engine: engine, pool: pool, readiness: Readiness(),
            metrics: PipelineMetrics(),
            failPoints: FailPoints(), logger: logger)
        let processor = ReviewBatchProcessor(context: context, logger: logger)
        let maximumAttempts = configuration.pipeline.retry.maximumAttempts
        let scoringStarted = seconds()
        let scoringSeconds = { seconds() - scoringStarted }
        // A count reads the whole queue: see RescoreCountSchedule for when it is taken.
        let unfinished = {
            try await self.pool.withConnection { try RescoreQueue().unfinished(queuedBy: cutoff, on: $0) }
        }
        let total = try await patiently(&patience, seconds, unfinished)
        var schedule = RescoreCountSchedule(
            remaining: total, countSeconds: scoringSeconds(), endedAt: scoringSeconds())
        while true {
            let claimed = try await patiently(&patience, seconds) { try await processor.processReviews() }
            schedule.finished(claimed)
            if schedule.countIsDue(claimed: claimed, at: scoringSeconds()) {
                let countStarted = scoringSeconds()
                let remaining = try await patiently(&patience, seconds, unfinished)
                schedule.counted(remaining, tookSeconds: scoringSeconds() - countStarted, endedAt: scoringSeconds())
            }
            progress(
                OperatorProgress(
                    phase: "scoring", done: max(total - schedule.remaining, 0), total: total,
                    elapsedSeconds: scoringSeconds()))
            if schedule.isDone { break }
            if claimed == 0 {
                // Another process holds the rest, or a dead one did (or a batch of this one that failed): return
                // expired leases to the queue (no server may be running to do it), then wait rather than spin.
                let swept = try await patiently(&patience, seconds) {
                    try await self.pool.withConnection {
                        try WorkQueue(.reviews).sweepExpiredLeases(maximumAttempts: maximumAttempts, on: $0)
                    }
                }
                if swept.requeued + swept.discarded > 0 {
                    logger.notice(
                        "expired leases swept",
                        metadata: ["ondo.requeued": "\(swept.requeued)", "ondo.discarded": "\(swept.discarded)"])
                }
                try await Task.sleep(for: .milliseconds(200))
            }
        }
        return RescoreOutcome(requeued: requeued, waitedFor: total)
    }

    /// Runs one step of the rescore, and again after a pause while it fails in a way a retry may mend and
    /// `patience` lasts (``RescorePatience``); each failure is logged as a warning.
    private func patiently<Result: Sendable>(
        _ patience: inout RescorePatience, _ seconds: () -> Double, _ step: () async throws -> Result
    ) async throws -> Result {
        while true {
            do {
                let result = try await step()
                patience.succeeded()
                return result
            } catch  where !Task.isCancelled && RescorePatience.isWorthRetrying(error) {
                let now = seconds()
                guard let pause = patience.failed(at: now) else {
                    throw RescoreGaveUp(seconds: now - (patience.failingSince ?? now), lastError: error)
                }
                logger.warning(
                    "rescore: the database failed; trying again",
                    metadata: [
                        "ondo.error": "\(error)", "ondo.failures_in_a_row": "\(patience.failuresInARow)",
                        "ondo.retry_in_seconds": "\(pause)",
                    ])
                try await Task.sleep(for: .seconds(pause))
            }
        }
    }

    private func requeueInChunks(
        _ selection: RescoreQueue.Selection, patience: inout RescorePatience,
        progress: @escaping @Sendable (OperatorProgress) -> Void
    ) async throws -> Int {
        let started = ContinuousClock.now
        let seconds = { started.duration(to: .now) / .seconds(1) }
        // The walk stops at the highest id queued now, so reviews the shop writes meanwhile (queued by its trigger,
        // nothing to re-queue) neither lengthen it nor count past the total.
        let (lastId, total) = try await patiently(&patience, seconds) {
            try await self.pool.withConnection { try RescoreQueue().extent(on: $0) }
        }
        var after: Int64 = 0
        var visited = 0
        var requeued = 0
        while true {
            let lastSeen = after
            // One transaction a chunk, walked again if it failed: rows its failed try did re-queue (a commit whose
            // answer was lost) are pending by then and left as they are.
            let (chunk, count) = try await patiently(&patience, seconds) {
                try await self.pool.withTransaction { connection -> ([Int64], Int) in
                    let chunk = try RescoreQueue().nextChunk(
                        after: lastSeen, through: lastId, limit: 5_000, on: connection)
                    guard !chunk.isEmpty else { return (chunk, 0) }
                    let count = try RescoreQueue().requeue(chunk, selection, on: connection)
                    if count > 0 { try WorkQueue(.reviews).notify(on: connection) }
                    return (chunk, count)
                }
            }
            guard let last = chunk.last else { break }
            after = last
            visited += chunk.count
            requeued += count
            progress(
                OperatorProgress(
                    // A review with a lower id whose insert committed after the count is visited too: counted.
                    phase: "re-queueing", done: visited, total: max(total, visited),
                    elapsedSeconds: seconds()))
        }
        return requeued
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
        @Sendable func recompute(_ ids: [Int64]) async throws {
            let causes = Dictionary(uniqueKeysWithValues: ids.map { ($0, StateChangeCause.recompute) })
            try await pool.withTransaction(.readCommitted) { _ = try states.recompute(causes, lockWait: .wait, on: $0) }
        }
        let total = try await pool.withConnection { try scan.count(on: $0) }
        let started = ContinuousClock.now
        var report = StatesRecomputeReport()
        var after: Int64 = 0
        var done = 0
        while true {
            let lastSeen = after
            let chunk = try await pool.withConnection { try scan.nextChunk(after: lastSeen, limit: 1_000, on: $0) }
            guard let last = chunk.last else { break }
            let (recomputed, failed) = try await IsolatedBatch.run(
                chunk, logger: logger, fallback: "recomputing customers one by one after a failed chunk"
            ) { ids in
                try await recompute(ids)
                return ids.count
            }
            report.recomputed += recomputed.reduce(0, +)
            report.failed += failed.map { ($0.item, "\($0.error)") }
            after = last
            done += chunk.count
            progress(
                OperatorProgress(
                    phase: "recomputing", done: done, total: max(total, done),
                    elapsedSeconds: started.duration(to: .now) / .seconds(1)))
        }
        return report
    }
}
