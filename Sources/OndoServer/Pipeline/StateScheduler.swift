import CRM
import CRMStore
import ServiceLifecycle

/// Recomputes customers whose state may change with time alone (a customer who stops buying cools down
/// without writing a review): every customer whose `recheck_at` has passed.
struct StateScheduler: Service {
    let context: PipelineContext

    func run() async throws {
        let context = context
        await runPeriodically(
            every: .seconds(context.settings.schedulerIntervalSeconds), name: "state scheduler", logger: context.logger
        ) {
            while !Task.isShuttingDownGracefully {
                let recomputed = try await Self.recomputeDue(context)
                if recomputed < context.settings.schedulerBatchSize { break }
            }
        }
    }

    /// Recomputes one batch of overdue customers; returns how many were recomputed (skipping those another
    /// process is recomputing right now).
    static func recomputeDue(_ context: PipelineContext) async throws -> Int {
        let states = context.states
        let limit = context.settings.schedulerBatchSize
        let result = try await context.pool.withConnection { connection in
            let due = try states.dueForRecheck(limit: limit, on: connection)
            guard !due.isEmpty else { return CustomerStateStore.Result() }
            let causes = Dictionary(uniqueKeysWithValues: due.map { ($0, StateChangeCause.scheduler) })
            return try connection.withTransaction { try states.recompute(causes, lockWait: .skipLocked, on: $0) }
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
        return result.assessments.count
    }
}
