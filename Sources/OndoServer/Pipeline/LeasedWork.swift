import CRM
import CRMStore
import Foundation
import Logging
import Postgres

/// What the review and customer-work processors share: claiming a batch of a queue under a lease, and recording
/// the attempts that failed.
struct LeasedWork: Sendable {
    let context: PipelineContext
    let logger: Logger

    /// Runs `body` (which claims with ``claim(from:token:)`` and handles the batch) under a new lease token. The
    /// token is forgotten when `body` returns. When it throws — the retries inside ran out, most often because the
    /// database went away mid-batch — the token is kept as stranded, and the next claim on the same queue ends its
    /// lease first, instead of leaving the batch's rows to wait for the lease to expire. Cancelled (a shutdown cut
    /// short), the token stays held, for `ondo serve` to give back.
    func withLease<Result>(_ body: (UUID) async throws -> Result) async throws -> Result {
        let token = UUID()
        do {
            let result = try await body(token)
            if !Task.isCancelled { context.heldLeases.letGo(token) }
            return result
        } catch {
            if !Task.isCancelled { context.heldLeases.strand(token, error: "\(error)") }
            throw error
        }
    }

    /// Leases up to `batchSize` rows of `queue` under `token`, which the process holds until its batch is done.
    /// Ends this process's stranded leases on `queue` first (see ``withLease(_:)``), so their rows can be
    /// claimed again at once, by this claim or another process's.
    func claim(from queue: WorkQueue, token: UUID) async throws -> [ClaimedWork] {
        let settings = context.settings
        context.heldLeases.hold(token, on: queue.table)
        let stranded = context.heldLeases.stranded(on: queue.table)
        return try await context.pool.withConnection { connection in
            for lease in stranded { try endStranded(lease, queue: queue, on: connection) }
            return try queue.claim(
                limit: settings.batchSize, leaseSeconds: settings.leaseSeconds, token: token, on: connection)
        }
    }

    /// Ends a stranded lease: its rows still leased go back to the queue with the batch's error, or are discarded
    /// after their last attempt. A failure other than the connection's is logged and the lease left to expire.
    private func endStranded(_ lease: HeldLeases.Stranded, queue: WorkQueue, on connection: PostgresConnection)
        throws
    {
        let ended: WorkQueue.SweepResult
        do {
            ended = try queue.endFailedLease(
                lease.token, error: lease.error, maximumAttempts: context.settings.retry.maximumAttempts,
                on: connection)
        } catch  where !PostgresError.isConnectionFailure(error) {
            context.heldLeases.letGo(lease.token)
            logger.warning(
                "ending a failed batch's lease failed; its rows wait for the lease to expire",
                metadata: ["ondo.error": "\(error)"])
            return
        }
        context.heldLeases.letGo(lease.token)
        guard ended.requeued + ended.discarded > 0 else { return }
        logger.notice(
            "a failed batch's lease ended: its rows are back in the queue, or discarded after their last attempt",
            metadata: [
                "ondo.queue": "\(queue.table.rawValue)", "ondo.requeued": "\(ended.requeued)",
                "ondo.discarded": "\(ended.discarded)", "ondo.error": "\(lease.error)",
            ])
        context.metrics.discarded(ended.discarded, from: queue.table)
    }

    /// Records failed attempts: back to the queue after the retry policy's delay, or discarded after the last
    /// attempt. Logs and counts only the rows whose lease still held (a lost lease changes nothing).
    func recordFailures(_ failures: [Failure], queue: WorkQueue, token: UUID) async throws {
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
        let waiting = failures.filter(\.isWaiting).map(\.work.key)
        // One transaction, so that a retry after a lost connection starts from scratch and the counts are exact;
        // READ COMMITTED, because `fail` must see rows others changed meanwhile (see WorkQueue).
        let (arrived, recorded) = try await context.withConnectionRetry { connection in
            try connection.withTransaction(.readCommitted) { connection in
                // A customer or product that arrived while this worker held the review: no waiting attempt, and no
                // retry delay (the shop's trigger passed the review over, as it was in flight).
                let arrived = try ArrivedReferences.requeue(waiting, token: token, on: connection)
                let recorded = try decisions.map { failure, decision in
                    try !arrived.contains(failure.work.key)
                        && queue.fail(
                            failure.work.key, token: token, error: failure.message, decision: decision, on: connection)
                }
                return (arrived, recorded)
            }
        }
        let metrics = context.metrics
        let isReview = queue.table == .reviews
        for ((failure, decision), changed) in zip(decisions, recorded) {
            if arrived.contains(failure.work.key) {
                logger.debug(
                    "the awaited customer or product arrived while the review was in hand; claimable again at once",
                    metadata: [workKeyMetadata(queue): "\(failure.work.key)"])
                continue
            }
            guard changed else {
                logger.notice(
                    "lease lost before a failed attempt was recorded; the row is back in the queue or being re-queued, not recorded here",
                    metadata: [workKeyMetadata(queue): "\(failure.work.key)", "ondo.error": "\(failure.message)"])
                continue
            }
            switch decision {
            case .discard:
                metrics.discarded(1, from: queue.table)
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
}

/// A claimed item that could not be completed now.
struct Failure: Sendable {
    var work: ClaimedWork
    var message: String
    /// Waiting for the shop to insert a customer or product, rather than broken.
    var isWaiting: Bool
}
