import CRMStore
import ServiceLifecycle

/// Samples the review queue for `/metrics` (backlog, age of the oldest unprocessed review) and whether the
/// database answers, for `/readyz`. A sample that fails sets the gauges to NaN: the last good sample would pass
/// for current (a backlog of 0, an oldest review that stops ageing) for as long as the database is down.
struct QueueMonitor: Service, CustomStringConvertible {
    /// ServiceLifecycle logs each service at debug level, and a service that stops on its own is named in an error:
    /// the name only. Printed whole, the context it holds made a log line of about 200 KB.
    var description: String { "queue monitor" }

    let context: PipelineContext

    func run() async throws {
        let context = context
        await runPeriodically(
            every: .seconds(context.settings.metricsSampleSeconds), name: "queue monitor", logger: context.logger
        ) {
            do {
                let backlog = try await context.pool.withConnection { try WorkQueue(.reviews).backlog(on: $0) }
                context.metrics.backlog.set(Double(backlog.pending + backlog.processing))
                context.metrics.oldestUnprocessedSeconds.set(backlog.oldestSeconds)
                context.readiness.database(reachable: true)
            } catch {
                context.metrics.backlog.set(.nan)
                context.metrics.oldestUnprocessedSeconds.set(.nan)
                context.readiness.database(reachable: false)
                throw error
            }
        }
    }
}
