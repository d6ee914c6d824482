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

    /// Leases up to `batchSize` rows of `queue` under `token`, which the process holds until ``letGo(_:)``.
    func claim(from queue: WorkQueue, token: UUID) async throws -> [ClaimedWork] {
        let settings = context.settings
        context.heldLeases.hold(token, on: queue.table)
        return try await context.pool.withConnection { connection in
            try queue.claim(
                limit: settings.batchSize, leaseSeconds: settings.leaseSeconds, token: token, on: connection)
        }
    }

    /// Forgets `token` once its batch is written or given back (see ``HeldLeases``).
    func letGo(_ token: UUID) {
        context.heldLeases.letGo(token)
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
}

/// A claimed item that could not be completed now.
struct Failure: Sendable {
    var work: ClaimedWork
    var message: String
    /// Waiting for the shop to insert a customer or product, rather than broken.
    var isWaiting: Bool
}
