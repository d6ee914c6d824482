import CRMStore
import Logging
import Postgres

extension OndoServe {
    /// Seconds the look before listening waits for a connection (libpq's minimum): a database that does not answer
    /// by then is waited for with the HTTP endpoint up, as before.
    static let schemaLookBeforeListeningSeconds = 2

    /// Refuses a database whose schema is not this build's before the HTTP endpoint listens. Without this look,
    /// `ondo serve` printed "listening on port N" and answered `/healthz` before it refused such a database and
    /// exited 1: an operator's script or health check saw it up. A database that does not answer within
    /// ``schemaLookBeforeListeningSeconds`` is left to ``waitForSchema(_:patience:logger:)``, which the HTTP
    /// endpoint's `/readyz` reports on.
    static func refuseAWrongSchemaBeforeListening(_ database: DatabaseSettings, logger: Logger) async throws {
        let postgres = try lookBeforeListeningConfiguration(database)
        let pool = PostgresPool(configuration: postgres, maxConnections: 1, logger: logger)
        let mismatch: String?
        do {
            mismatch = try await pool.withConnection { try SchemaVersion.mismatch(on: $0) }
            await pool.close()
        } catch {
            await pool.close()
            if PostgresError.isConnectionFailure(error) { return }
            throw error
        }
        if let mismatch { throw ConfigurationError(code: .invalidValue, message: mismatch) }
    }

    /// The application's connection with a connect timeout of at most ``schemaLookBeforeListeningSeconds``, also
    /// when the configured one is no limit (nil or 0), which would hold the HTTP endpoint back for ever.
    static func lookBeforeListeningConfiguration(_ database: DatabaseSettings) throws -> PostgresConfiguration {
        var postgres = try database.postgresConfiguration(for: .application)
        let configured = postgres.connectTimeout.flatMap { $0 > 0 ? $0 : nil } ?? schemaLookBeforeListeningSeconds
        postgres.connectTimeout = min(configured, schemaLookBeforeListeningSeconds)
        return postgres
    }
}
