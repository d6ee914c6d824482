import CRMStore
import ServiceLifecycle

/// Puts work whose lease expired (its worker was killed or stalled) back in the queue, or discards it
/// after its last attempt; re-queues reviews quarantined for a customer or product that has arrived since
/// (``QuarantineCatchUp``); and applies the queue calls that shop transactions outside READ COMMITTED deferred
/// (``DeferredQueueWrites``).
struct LeaseSweeper: Service, CustomStringConvertible {
    /// ServiceLifecycle logs each service at debug level, and a service that stops on its own is named in an error:
    /// the name only. Printed whole, the context it holds made a log line of about 200 KB.
    var description: String { "lease sweeper" }

    let context: PipelineContext

    /// Each deferred call stands for one shop statement (often a single row); the rest wait for the next sweep.
    static let deferredCallsPerSweep = 1_000

    func run() async throws {
        let context = context
        await runPeriodically(
            every: .seconds(context.settings.sweepIntervalSeconds), name: "lease sweep", logger: context.logger
        ) {
            let maximumAttempts = context.settings.retry.maximumAttempts
            let (results, resolved, deferred) = try await context.pool.withConnection { connection in
                (
                    try WorkQueue.Table.allCases.map { table in
                        (
                            table,
                            try WorkQueue(table).sweepExpiredLeases(maximumAttempts: maximumAttempts, on: connection)
                        )
                    },
                    try QuarantineCatchUp.requeueResolved(on: connection),
                    try DeferredQueueWrites.apply(limit: Self.deferredCallsPerSweep, on: connection)
                )
            }
            if deferred > 0 {
                context.logger.info(
                    "queue calls deferred by shop transactions outside READ COMMITTED applied",
                    metadata: ["ondo.calls": "\(deferred)"])
                context.signal.ring()
            }
            if resolved > 0 {
                context.logger.notice(
                    "quarantined reviews re-queued: their customer or product has arrived",
                    metadata: ["ondo.requeued": "\(resolved)"])
                context.signal.ring()
            }
            for (table, result) in results where result.requeued + result.discarded > 0 {
                context.logger.notice(
                    "expired leases swept",
                    metadata: [
                        "ondo.queue": "\(table.rawValue)", "ondo.requeued": "\(result.requeued)",
                        "ondo.discarded": "\(result.discarded)",
                    ])
                context.metrics.discarded(result.discarded, from: table)
                context.signal.ring()
            }
        }
    }
}
