import CRM
import CRMStore
import Foundation
import Logging
import Postgres

/// One worker's unit of customer work (orders, signups, moved reviews): claim a batch of customers and recompute
/// their states in one transaction fenced by the batch's lease.
struct CustomerWorkProcessor: Sendable {
    let context: PipelineContext
    let logger: Logger

    private var leases: LeasedWork { LeasedWork(context: context, logger: logger) }

    /// Claims and recomputes one batch of customer work; returns how many were claimed (0: nothing to do).
    /// If the batch fails for a reason other than the connection, recomputes the customers one by one, so that
    /// one customer whose data breaks the recompute fails (and is retried, then discarded) alone.
    @discardableResult
    func processCustomers() async throws -> Int {
        try await leases.withLease { token in try await processCustomers(under: token) }
    }

    private func processCustomers(under token: UUID) async throws -> Int {
        let queue = WorkQueue(.customers)
        let claimed = try await leases.claim(from: queue, token: token)
        guard !claimed.isEmpty else { return 0 }
        let store = context.customerWork
        let (outcomes, failed) = try await IsolatedBatch.run(
            claimed, logger: logger, fallback: "customer work batch failed; recomputing customers one by one"
        ) { works in
            try await context.withConnectionRetry { try store.apply(works.map(\.key), token: token, on: $0) }
        }
        outcomes.forEach(record)
        let failures = failed.map { Failure(work: $0.item, message: "\($0.error)", isWaiting: false) }
        try await leases.recordFailures(failures, queue: queue, token: token)
        return claimed.count
    }

    private func record(_ outcome: CustomerWorkStore.Outcome) {
        for transition in outcome.transitions { context.metrics.transitioned(to: transition.to) }
        context.metrics.recomputed(.customerWork, count: outcome.completed.count)
    }
}
