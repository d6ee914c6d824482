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
    let metrics: PipelineMetrics
    let readiness: Readiness
    let failPoints: FailPoints
    let logger: Logger

    /// True for failures of the connection itself (the server restarted, the backend was terminated), after
    /// which the same work may simply be retried on a new connection.
    static func isConnectionFailure(_ error: any Error) -> Bool {
        guard let error = error as? PostgresError else { return false }
        if error.code == .connection || error.code == .connectionClosed || error.code == .poolClosed { return true }
        // admin_shutdown, crash_shutdown, cannot_connect_now, and class 08 (connection exception)
        guard let state = error.sqlState else { return false }
        return state.hasPrefix("08") || ["57P01", "57P02", "57P03"].contains(state)
    }

    /// Runs `body`, retrying connection failures a few times with a short backoff (a restarting server
    /// or a terminated backend), so in-flight work survives while its lease is still valid.
    func withConnectionRetry<Result: Sendable>(
        attempts: Int = 4, _ body: @escaping @Sendable (PostgresConnection) throws -> Result
    ) async throws -> Result {
        var delay = Duration.milliseconds(250)
        for attempt in 1... {
            do {
                return try await pool.withConnection(body)
            } catch where attempt < attempts && Self.isConnectionFailure(error) {
                logger.debug("retrying after a connection failure", metadata: ["ondo.error": "\(error)"])
                try await Task.sleep(for: delay)
                delay *= 2
            }
        }
        preconditionFailure("unreachable: the loop returns or throws")
    }
}
