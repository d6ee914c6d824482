import Logging
import Postgres

/// The start-up check of `database.listenUrl`: a listener in another database than the queue's triggers would
/// never hear their NOTIFY, and idle workers would find work by polling only, with nothing said.
enum ListenDatabaseCheck {
    /// Refuses (`ConfigurationError`) a listen connection that reaches another database than `pool`'s. Waits for the
    /// listen URL's server as ``OndoServe/waitForSchema(_:patience:logger:)`` waits for the application's
    /// (``OndoServe/retryingWhileUnreachable(patience:warning:logger:_:)``).
    static func check(
        listen configuration: PostgresConfiguration, against pool: PostgresPool, patience: Duration = .seconds(60),
        logger: Logger
    ) async throws {
        let application = try await pool.withConnection { try DatabaseIdentity.read(on: $0) }
        let listenPool = PostgresPool(configuration: configuration, maxConnections: 1, logger: logger)
        let listening: DatabaseIdentity
        do {
            listening = try await OndoServe.retryingWhileUnreachable(
                patience: patience, warning: "database.listenUrl's server not reachable yet; retrying", logger: logger
            ) { try await listenPool.withConnection { try DatabaseIdentity.read(on: $0) } }
            await listenPool.close()
        } catch {
            await listenPool.close()
            guard PostgresError.isConnectionFailure(error) else { throw error }
            throw ConfigurationError(
                code: .invalidValue,
                message: "cannot connect with database.listenUrl (ONDO_DATABASE_LISTEN_URL): \(error)")
        }
        if let reason = application.whyNotTheSame(as: listening) {
            throw ConfigurationError(
                code: .invalidValue,
                message: "database.listenUrl (ONDO_DATABASE_LISTEN_URL) must reach the application's database, but "
                    + "\(reason): the queue's notifications would never arrive; point it at the same database as "
                    + "database.url, directly rather than through a pooler, or leave it unset")
        }
        if application.systemIdentifier == nil || listening.systemIdentifier == nil {
            logger.notice(
                "database.listenUrl checked by database name and port only: the login may not read pg_control_system()",
                metadata: ["ondo.db": "\(configuration.description)"])
        }
    }
}
