import CRM
import CRMStore
import Foundation
import Logging
import Postgres

/// One worker's unit of work: claim a batch of reviews (or of customer work), score the reviews outside any
/// transaction, and write the results in one transaction fenced by the batch's lease. Used by the workers of
/// `ondo serve` and by `ondo reviews rescore`.
struct ReviewBatchProcessor: Sendable {
    let context: PipelineContext
    let logger: Logger

    // MARK: Reviews

    /// Claims, scores and writes one batch of reviews; returns how many were claimed (0: nothing to do).
    @discardableResult
    func processReviews() async throws -> Int {
        let settings = context.settings
        let token = UUID()
        let queue = WorkQueue(.reviews)
        let claimed = try await claim(from: queue, token: token)
        guard !claimed.isEmpty else { return 0 }
        let started = ContinuousClock.now
        logger.debug("claimed reviews", metadata: ["ondo.count": "\(claimed.count)"])

        let (loaded, records, loadFailures) = try await loadIsolatingFailures(claimed)
        var plan = BatchPlan(claimed: loaded, records: records, settings: settings)
        let scores = await context.scorer.score(plan.toScore.map(\.text))
        plan.attach(scores)

        if let pause = context.failPoints.pauseAfterScoreSeconds { try? await Task.sleep(for: .seconds(pause)) }
        if context.failPoints.exitAfterScore {
            logger.critical("fail point worker.exit_after_score: exiting before the batch is written")
            exit(86)
        }

        var failures = loadFailures + plan.failures
        var outcome = ReviewResultStore.Outcome()
        if !plan.verdicts.isEmpty {
            (outcome, failures) = try await applyIsolatingFailures(plan.verdicts, failures: failures, token: token)
        }
        try await recordFailures(failures, queue: queue, token: token)
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
        let failures = failed.map { Failure(work: $0.item, message: "reading the review failed: \($0.error)", isWaiting: false) }
        return (reads.flatMap(\.0), records, failures)
    }

    /// Writes the verdicts in one transaction; if that fails for a reason other than the connection, writes
    /// them one by one so that a single poison review cannot hold back the others.
    private func applyIsolatingFailures(
        _ verdicts: [ReviewVerdict], failures: [Failure], token: UUID
    ) async throws -> (ReviewResultStore.Outcome, [Failure]) {
        let results = context.results
        let poison = context.failPoints.applyPoisonText
        @Sendable func write(_ verdicts: [ReviewVerdict], on connection: PostgresConnection) throws -> ReviewResultStore.Outcome {
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
        return (combined, failures + failed.map { Failure(work: $0.item.work, message: "\($0.error)", isWaiting: false) })
    }

    /// Records failed attempts: back to the queue after the retry policy's delay, or discarded after the last
    /// attempt. Logs and counts only the rows whose lease still held (a lost lease changes nothing).
    private func recordFailures(_ failures: [Failure], queue: WorkQueue, token: UUID) async throws {
        guard !failures.isEmpty else { return }
        let policy = context.settings.retry
        let decisions = failures.map { failure -> (Failure, RetryPolicy.Decision) in
            var decision = policy.decision(afterFailedAttempt: failure.work.attempts)
            // Waiting for the shop's customer or product row is not a failure of the review: never discard it here.
            if failure.isWaiting, case .discard = decision {
                decision = .retry(afterSeconds: policy.maximumDelaySeconds)
            }
            return (failure, decision)
        }
        // One transaction, so that a retry after a lost connection starts from scratch and the counts are exact;
        // READ COMMITTED, because `fail` must see rows others changed meanwhile (see WorkQueue).
        let recorded = try await context.withConnectionRetry { connection in
            try connection.withTransaction(.readCommitted) { connection in
                try decisions.map { failure, decision in
                    try queue.fail(
                        failure.work.key, token: token, error: failure.message, decision: decision, on: connection)
                }
            }
        }
        let metrics = context.metrics
        let isReview = queue.table == .reviews
        for ((failure, decision), changed) in zip(decisions, recorded) {
            guard changed else {
                logger.notice(
                    "lease lost before a failed attempt was recorded; the row is back in the queue or being re-queued, not recorded here",
                    metadata: [workKeyMetadata(queue): "\(failure.work.key)", "ondo.error": "\(failure.message)"])
                continue
            }
            switch decision {
            case .discard:
                (isReview ? metrics.reviewsDiscarded : metrics.customerWorkDiscarded).increment()
                logger.error(
                    "\(isReview ? "review" : "customer work") discarded after its last attempt",
                    metadata: [workKeyMetadata(queue): "\(failure.work.key)", "ondo.error": "\(failure.message)"])
            case .retry:
                (isReview ? metrics.reviewsRetried : metrics.customerWorkRetried).increment()
            }
        }
    }

    /// The log metadata key naming a row of `queue`.
    private func workKeyMetadata(_ queue: WorkQueue) -> String {
        queue.table == .reviews ? "ondo.review_id" : "ondo.customer_id"
    }

    private func record(_ outcome: ReviewResultStore.Outcome, claimed: [ClaimedWork], started: ContinuousClock.Instant) {
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

    /// Leases up to `batchSize` rows of `queue` under `token`.
    private func claim(from queue: WorkQueue, token: UUID) async throws -> [ClaimedWork] {
        let settings = context.settings
        return try await context.pool.withConnection { connection in
            try queue.claim(limit: settings.batchSize, leaseSeconds: settings.leaseSeconds, token: token, on: connection)
        }
    }

    // MARK: Customers

    /// Claims and recomputes one batch of customer work; returns how many were claimed (0: nothing to do).
    /// If the batch fails for a reason other than the connection, recomputes the customers one by one, so that
    /// one customer whose data breaks the recompute fails (and is retried, then discarded) alone.
    @discardableResult
    func processCustomers() async throws -> Int {
        let token = UUID()
        let queue = WorkQueue(.customers)
        let claimed = try await claim(from: queue, token: token)
        guard !claimed.isEmpty else { return 0 }
        let store = context.customerWork
        let (outcomes, failed) = try await IsolatedBatch.run(
            claimed, logger: logger, fallback: "customer work batch failed; recomputing customers one by one"
        ) { works in
            try await context.withConnectionRetry { try store.apply(works.map(\.key), token: token, on: $0) }
        }
        outcomes.forEach(record)
        let failures = failed.map { Failure(work: $0.item, message: "\($0.error)", isWaiting: false) }
        try await recordFailures(failures, queue: queue, token: token)
        return claimed.count
    }

    private func record(_ outcome: CustomerWorkStore.Outcome) {
        for transition in outcome.transitions { context.metrics.transitioned(to: transition.to) }
        context.metrics.recomputed(.customerWork, count: outcome.completed.count)
    }
}

/// A claimed item that could not be completed now.
struct Failure: Sendable {
    var work: ClaimedWork
    var message: String
    /// Waiting for the shop to insert a customer or product, rather than broken.
    var isWaiting: Bool
}

/// Sorts a claimed batch into what can be written at once (vanished, quarantined), what needs the model,
/// and what must wait (unknown customer or product on an early attempt).
struct BatchPlan {
    struct ToScore {
        var work: ClaimedWork
        var review: ReviewRecord
        var text: String
    }

    private(set) var verdicts: [ReviewVerdict] = []
    private(set) var toScore: [ToScore] = []
    private(set) var failures: [Failure] = []

    init(claimed: [ClaimedWork], records: [Int64: ReviewRecord], settings: PipelineSettings) {
        for work in claimed {
            guard let review = records[work.key] else {
                verdicts.append(ReviewVerdict(work: work, review: nil, outcome: .vanished))
                continue
            }
            if !review.customerKnown || !review.productKnown {
                let reason: QuarantineReason = review.customerKnown ? .unknownProduct : .unknownCustomer
                let missing = reason == .unknownCustomer ? "customer \(review.customerId)" : "product \(review.productId)"
                if work.attempts < settings.unknownReferenceAttempts {
                    failures.append(Failure(work: work, message: "waiting for \(missing) in the shop's tables", isWaiting: true))
                } else {
                    let detail = "no \(missing) after \(work.attempts) attempts; re-queued when the shop inserts it"
                    verdicts.append(ReviewVerdict(work: work, review: review, outcome: .quarantined(reason, detail: detail)))
                }
                continue
            }
            guard let text = ReviewText.scorable(review.body) else {
                verdicts.append(ReviewVerdict(
                    work: work, review: review, outcome: .quarantined(.emptyBody, detail: "the body has no visible text")))
                continue
            }
            toScore.append(ToScore(work: work, review: review, text: text))
        }
    }

    /// Turns the model's results into verdicts (scored) or failures (the scorer threw for that text).
    mutating func attach(_ scores: [Result<ReviewScorer.Score, any Error>]) {
        for (item, result) in zip(toScore, scores) {
            switch result {
            case .success(let score):
                verdicts.append(ReviewVerdict(
                    work: item.work, review: item.review,
                    outcome: .scored(probability: score.probability, aspects: score.aspects)))
            case .failure(let error):
                failures.append(Failure(work: item.work, message: "scoring failed: \(error)", isWaiting: false))
            }
        }
    }
}
