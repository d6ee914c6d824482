import CRM
import CRMStore
import Logging
import Postgres

/// What the pipeline's services share: the pool, the stores, the scorer, the wake-up signal, metrics.
struct PipelineContext: Sendable {
    let settings: PipelineSettings
    let pool: PostgresPool
    let scorer: ReviewScorer
    let results: ReviewResultStore
    let customerWork: CustomerWorkStore
    let states: CustomerStateStore
    let signal: WorkSignal
    /// The leases the workers hold, given back when a shutdown is cut short.
    let heldLeases: HeldLeases
    let metrics: PipelineMetrics
    let readiness: Readiness
    let failPoints: FailPoints
    let logger: Logger

    /// Runs `body`, retrying connection failures a few times with a short backoff (a restarting server
    /// or a terminated backend), so in-flight work survives while its lease is still valid.
    func withConnectionRetry<Result: Sendable>(
        attempts: Int = 4, _ body: @escaping @Sendable (PostgresConnection) throws -> Result
    ) async throws -> Result {
        var delay = Duration.milliseconds(250)
        for attempt in 1... {
            do {
                return try await pool.withConnection(body)
            } catch  where attempt < attempts && PostgresError.isConnectionFailure(error) {
                logger.debug("retrying after a connection failure", metadata: ["ondo.error": "\(error)"])
                try await Task.sleep(for: delay)
                delay *= 2
            }
        }
        preconditionFailure("unreachable: the loop returns or throws")
    }
}
