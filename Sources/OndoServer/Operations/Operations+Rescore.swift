import CRMStore
import Foundation
import Postgres

extension Operations {
    /// Re-queues finished reviews (optionally only those written since `since`, and by default only those the
    /// current model has not scored), then scores the queue in this process — running servers help — until
    /// every review queued by the end of the re-queueing (the re-queued ones and any backlog before them) is
    /// finished. Reviews the shop inserts or edits later are scored too while this runs, but not waited for:
    /// on a busy shop the queue is never empty. Returns how many reviews were re-queued, and how many it waited for.
    /// `rerun` is the command that waits for the re-queued reviews again, named if the database keeps failing: the
    /// caller's, with the options that reach this database and select these reviews.
    public func rescore(
        since: Date?, everyReview: Bool, rerun: String = "ondo reviews rescore",
        progress: @escaping @Sendable (OperatorProgress) -> Void
    ) async throws -> RescoreOutcome {
        let engine = try ScoringEngine.load(configuration.server, logger: logger)
        // An operator at a terminal wants the error now, not after a minute of retries.
        try await OndoServe.waitForSchema(pool, patience: .zero, logger: logger)
        let selection = RescoreQueue.Selection(since: since, missingModelVersion: everyReview ? nil : engine.version)
        // From here on a database that fails for a while (a restart, a failover) is waited for: see FailurePatience.
        var patience = FailurePatience(
            patienceSeconds: failurePatienceSeconds,
            aftermath: "the reviews re-queued so far stay queued: a running ondo serve scores them, and `\(rerun)` "
                + "(without --all) waits for them again")
        let requeued = try await requeueInChunks(selection, patience: &patience, progress: progress)
        let cutoff = try await patiently(&patience) {
            try await self.pool.withConnection { try RescoreQueue().clock(on: $0) }
        }

        let context = PipelineContext.make(
            configuration: configuration, engine: engine, pool: pool, readiness: Readiness(),
            metrics: PipelineMetrics(),
            failPoints: FailPoints(), logger: logger)
        let processor = ReviewBatchProcessor(context: context, logger: logger)
        let maximumAttempts = configuration.pipeline.retry.maximumAttempts
        let scoringStarted = ContinuousClock.now
        let scoringSeconds = { scoringStarted.duration(to: .now) / .seconds(1) }
        // A count reads the whole queue: see RescoreCountSchedule for when it is taken.
        let unfinished = {
            try await self.pool.withConnection { try RescoreQueue().unfinished(queuedBy: cutoff, on: $0) }
        }
        let total = try await patiently(&patience, unfinished)
        var schedule = RescoreCountSchedule(
            remaining: total, countSeconds: scoringSeconds(), endedAt: scoringSeconds())
        while true {
            let claimed = try await patiently(&patience) {
                try await processor.processReviews()
            }
            schedule.finished(claimed)
            if schedule.countIsDue(claimed: claimed, at: scoringSeconds()) {
                let countStarted = scoringSeconds()
                let remaining = try await patiently(&patience, unfinished)
                schedule.counted(remaining, tookSeconds: scoringSeconds() - countStarted, endedAt: scoringSeconds())
            }
            progress(
                OperatorProgress(
                    phase: "scoring", done: max(total - schedule.remaining, 0), total: total,
                    elapsedSeconds: scoringSeconds()))
            if schedule.isDone { break }
            if claimed == 0 {
                // Another process holds the rest, or a dead one did: return expired leases to the queue (no server
                // may be running to do it), then wait rather than spin. (A batch of this one that failed had its
                // lease ended by the claim that followed it: see LeasedWork.)
                let swept = try await patiently(&patience) {
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

    private func requeueInChunks(
        _ selection: RescoreQueue.Selection, patience: inout FailurePatience,
        progress: @escaping @Sendable (OperatorProgress) -> Void
    ) async throws -> Int {
        let started = ContinuousClock.now
        let seconds = { started.duration(to: .now) / .seconds(1) }
        // The walk stops at the highest id queued now, so reviews the shop writes meanwhile (queued by its trigger,
        // nothing to re-queue) neither lengthen it nor count past the total.
        let (lastId, total) = try await patiently(&patience) {
            try await self.pool.withConnection { try RescoreQueue().extent(on: $0) }
        }
        var after: Int64?  // nil: from the lowest id, which may be 0 or negative
        var visited = 0
        var requeued = 0
        while true {
            let lastSeen = after
            // One transaction a chunk, walked again if it failed: rows its failed try did re-queue (a commit whose
            // answer was lost) are pending by then and left as they are.
            let (chunk, count) = try await patiently(&patience) {
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
}
