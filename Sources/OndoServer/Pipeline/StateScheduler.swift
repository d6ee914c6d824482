import CRM
import CRMStore
import Postgres
import ServiceLifecycle

/// Recomputes customers whose state may change with time alone (a customer who stops buying cools down
/// without writing a review): every customer whose `recheck_at` has passed.
struct StateScheduler: Service, CustomStringConvertible {
    /// ServiceLifecycle logs each service at debug level, and a service that stops on its own is named in an error:
    /// the name only. Printed whole, the context it holds made a log line of about 200 KB.
    var description: String { "state scheduler" }

    let context: PipelineContext

    /// A customer whose recompute fails (its shop data cannot be read or written) is looked at again this many
    /// seconds later: soon enough that repaired data is picked up within the hour (and any review or order of
    /// the customer recomputes it at once), rarely enough that a customer that stays broken costs the scheduler
    /// one failed batch an hour, not every run.
    static let failedRecheckDelaySeconds: Double = 3_600

    func run() async throws {
        let context = context
        await runPeriodically(
            every: .seconds(context.settings.schedulerIntervalSeconds), name: "state scheduler", logger: context.logger
        ) {
            while !Task.isShuttingDownGracefully {
                let handled = try await Self.recomputeDue(context)
                if handled < context.settings.schedulerBatchSize { break }
            }
        }
    }

    /// Recomputes one batch of overdue customers in one transaction; if that fails for a reason other than the
    /// connection, recomputes them one by one and postpones the recheck of each customer that fails, so that one
    /// customer's bad data cannot stop time-based recomputation for everyone; likewise for customers no longer in
    /// the shop's table. Returns how many customers were recomputed or postponed (skipping those another process is
    /// recomputing right now).
    static func recomputeDue(_ context: PipelineContext) async throws -> Int {
        let states = context.states
        let limit = context.settings.schedulerBatchSize
        let due = try await context.withConnectionRetry { try states.dueForRecheck(limit: limit, on: $0) }
        guard !due.isEmpty else { return 0 }
        let (results, failed) = try await IsolatedBatch.run(
            due, logger: context.logger, fallback: "scheduler batch failed; recomputing customers one by one"
        ) { ids in
            try await recompute(ids, context)
        }
        var result = CustomerStateStore.Result()
        for single in results {
            result.assessments.merge(single.assessments) { $1 }
            result.transitions += single.transitions
        }
        for (id, error) in failed {
            context.metrics.schedulerFailures.increment()
            context.logger.error(
                "customer state recompute failed; its recheck is postponed",
                metadata: [
                    "ondo.customer_id": "\(id)", "ondo.error": "\(error)",
                    "ondo.retry_seconds": "\(Int(failedRecheckDelaySeconds))",
                ])
            _ = try await context.withConnectionRetry {
                try states.postponeRecheck(of: id, bySeconds: failedRecheckDelaySeconds, on: $0)
            }
        }
        let postponed = failed.count
        // Customers neither recomputed nor failed were held by another process, or are gone from the shop's
        // table: a recompute writes nothing for the latter, so their passed recheck is put off here.
        let handled = Set(result.assessments.keys).union(failed.map(\.item))
        let unhandled = due.filter { !handled.contains($0) }
        var gone: [Int64] = []
        if !unhandled.isEmpty {
            gone = try await context.withConnectionRetry {
                try states.postponeRecheckOfCustomersGoneFromTheShop(
                    unhandled, bySeconds: states.maximumRecheckInterval, on: $0)
            }
        }
        if !gone.isEmpty {
            context.logger.notice(
                "customers with a state are no longer in the shop's table; their recheck is put off",
                metadata: [
                    "ondo.customers": "\(gone.count)", "ondo.retry_seconds": "\(Int(states.maximumRecheckInterval))",
                ])
        }
        context.metrics.recomputed(.scheduler, count: result.assessments.count)
        for transition in result.transitions {
            context.metrics.transitioned(to: transition.to)
            context.logger.info(
                "customer state changed with time",
                metadata: [
                    "ondo.customer_id": "\(transition.customerId)", "ondo.from": "\(transition.from?.rawValue ?? "-")",
                    "ondo.to": "\(transition.to.rawValue)", "ondo.reason": "\(transition.reasons.first?.summary ?? "")",
                ])
        }
        return result.assessments.count + postponed + gone.count
    }

    /// Recomputes `ids` in one transaction, skipping customers another process holds.
    private static func recompute(
        _ ids: [Int64], _ context: PipelineContext
    ) async throws -> CustomerStateStore.Result {
        let states = context.states
        let causes = Dictionary(uniqueKeysWithValues: ids.map { ($0, StateChangeCause.scheduler) })
        return try await context.withConnectionRetry { connection in
            try connection.withTransaction(.readCommitted) {
                try states.recompute(causes, lockWait: .skipLocked, on: $0)
            }
        }
    }
}
