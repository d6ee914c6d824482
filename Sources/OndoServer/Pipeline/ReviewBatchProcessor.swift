import CRM
import CRMStore
import Foundation
import Logging
import Postgres

/// One worker's unit of review work: claim a batch of reviews, score them outside any transaction, and write the
/// results in one transaction fenced by the batch's lease. Used by the workers of `ondo serve` and by
/// `ondo reviews rescore`.
struct ReviewBatchProcessor: Sendable {
    let context: PipelineContext
    let logger: Logger

    private var leases: LeasedWork { LeasedWork(context: context, logger: logger) }

    /// Claims, scores and writes one batch of reviews; returns how many were claimed (0: nothing to do).
    @discardableResult
    func processReviews() async throws -> Int {
        try await leases.withLease { token in try await processReviews(under: token) }
    }

    private func processReviews(under token: UUID) async throws -> Int {
        let settings = context.settings
        let queue = WorkQueue(.reviews)
        let claimed = try await leases.claim(from: queue, token: token)
        guard !claimed.isEmpty else { return 0 }
        let started = ContinuousClock.now
        logger.debug("claimed reviews", metadata: ["ondo.count": "\(claimed.count)"])

        let (loaded, records, loadFailures) = try await loadIsolatingFailures(claimed)
        var plan = BatchPlan(claimed: loaded, records: records, settings: settings)
        let scores = await context.scorer.score(plan.toScore.map(\.text))
        plan.attach(scores)

        if let pause = context.failPoints.pauseAfterScoreSeconds { try? await Task.sleep(for: .seconds(pause)) }
        if let gate = context.failPoints.holdAfterScoreUntilFile { await FailPoints.waitForFile(gate) }
        if context.failPoints.exitAfterScore {
            logger.critical("fail point worker.exit_after_score: exiting before the batch is written")
            exit(86)
        }
        // A shutdown cut short cancels the workers and gives their leases back: write nothing after that.
        try Task.checkCancellation()

        var failures = loadFailures + plan.failures
        var outcome = ReviewResultStore.Outcome()
        if !plan.verdicts.isEmpty {
            (outcome, failures) = try await applyIsolatingFailures(plan.verdicts, failures: failures, token: token)
        }
        try await leases.recordFailures(failures, queue: queue, token: token)
        record(outcome, claimed: claimed, started: started)
        return claimed.count
    }

    /// Reads the claimed reviews in one statement; if that fails for a reason other than the connection (a
    /// value Ondo cannot decode, such as a BC `created_at`), reads them one by one so that a review that cannot
    /// be read fails with its own error (retried, then discarded) and the others proceed. Returns the work that
    /// was read (including reviews the shop deleted, absent from `records`), the records, and the failures.
    private func loadIsolatingFailures(
        _ claimed: [ClaimedWork]
    ) async throws -> (loaded: [ClaimedWork], records: [Int64: ReviewRecord], failures: [Failure]) {
        let (reads, failed) = try await IsolatedBatch.run(
            claimed, logger: logger, fallback: "batch read failed; reading reviews one by one"
        ) { works in
            (works, try await context.withConnectionRetry { try ReviewRecord.load(works.map(\.key), on: $0) })
        }
        var records: [Int64: ReviewRecord] = [:]
        for read in reads { records.merge(read.1) { $1 } }
        let failures = failed.map {
            Failure(work: $0.item, message: "reading the review failed: \($0.error)", isWaiting: false)
        }
        return (reads.flatMap(\.0), records, failures)
    }

    /// Writes the verdicts in one transaction; if that fails for a reason other than the connection, writes
    /// them one by one so that a single poison review cannot hold back the others.
    private func applyIsolatingFailures(
        _ verdicts: [ReviewVerdict], failures: [Failure], token: UUID
    ) async throws -> (ReviewResultStore.Outcome, [Failure]) {
        let results = context.results
        let poison = context.failPoints.applyPoisonText
        @Sendable func write(_ verdicts: [ReviewVerdict], on connection: PostgresConnection) throws
            -> ReviewResultStore.Outcome
        {
            if let poison, verdicts.contains(where: { $0.review?.body.contains(poison) == true }) {
                throw InjectedFault(description: "injected fault: writing a poison review's state fails")
            }
            return try results.apply(verdicts, token: token, on: connection)
        }
        let (outcomes, failed) = try await IsolatedBatch.run(
            verdicts, logger: logger, fallback: "batch write failed; writing reviews one by one"
        ) { verdicts in
            try await context.withConnectionRetry { try write(verdicts, on: $0) }
        }
        var combined = ReviewResultStore.Outcome()
        for outcome in outcomes { combined.merge(outcome) }
        return (
            combined, failures + failed.map { Failure(work: $0.item.work, message: "\($0.error)", isWaiting: false) }
        )
    }

    private func record(_ outcome: ReviewResultStore.Outcome, claimed: [ClaimedWork], started: ContinuousClock.Instant)
    {
        let metrics = context.metrics
        metrics.reviewsProcessed.increment(by: Int64(outcome.completed.count))
        for (reason, count) in outcome.quarantined { metrics.reviewsQuarantined[reason]?.increment(by: Int64(count)) }
        metrics.recomputed(.reviews, count: outcome.customersRecomputed)
        for transition in outcome.transitions { metrics.transitioned(to: transition.to) }
        metrics.batchSeconds.record(started.duration(to: .now) / .seconds(1))
        let completed = Set(outcome.completed)
        let now = Date()
        for work in claimed where completed.contains(work.key) {
            metrics.pickupLatencySeconds.record(max(now.timeIntervalSince(work.enqueuedAt), 0))
        }
        if !outcome.requeued.isEmpty {
            logger.debug(
                "the awaited customer or product arrived while reviews were in hand; claimable again at once",
                metadata: ["ondo.requeued": "\(outcome.requeued.count)"])
        }
        if !outcome.customerWorkCompleted.isEmpty {
            logger.debug(
                "pending customer work covered by the batch's recompute; completed with it",
                metadata: ["ondo.customers": "\(outcome.customerWorkCompleted.count)"])
        }
        if !outcome.fenced.isEmpty {
            logger.notice(
                """
                lease lost for part of a batch; its results were not written here (the rows were re-queued or swept, \
                or an earlier try of this write committed before its connection dropped)
                """,
                metadata: ["ondo.fenced": "\(outcome.fenced.count)"])
        }
        for transition in outcome.transitions {
            logger.info(
                "customer state changed",
                metadata: [
                    "ondo.customer_id": "\(transition.customerId)", "ondo.from": "\(transition.from?.rawValue ?? "-")",
                    "ondo.to": "\(transition.to.rawValue)", "ondo.cause": "\(transition.cause.kind)",
                    "ondo.reason": "\(transition.reasons.first?.summary ?? "")",
                ])
        }
    }

}
