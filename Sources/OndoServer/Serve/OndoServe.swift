import CRM
import CRMStore
import Foundation
import Logging
import Postgres
import ServiceLifecycle

/// `ondo serve`: the review workers, the lease sweeper, the state scheduler, the notification listener and
/// the HTTP endpoint, run as one `ServiceGroup` that stops gracefully on SIGTERM or SIGINT.
public struct OndoServe: Sendable {
    /// The configuration (file, environment, flags).
    public let configuration: OndoConfiguration
    /// Faults to inject (tests only).
    public let failPoints: FailPoints
    /// Where logs go.
    public let logger: Logger

    /// Creates the server.
    public init(configuration: OndoConfiguration, failPoints: FailPoints = FailPoints(), logger: Logger) {
        self.configuration = configuration
        self.failPoints = failPoints
        self.logger = logger
    }

    /// Loads the model, checks the database, and serves until SIGTERM/SIGINT. `onListening` gets the HTTP port.
    ///
    /// The signals are trapped from the start: one that arrives while the server still waits for its database
    /// (about a minute at most) stops it cleanly too, instead of killing the process.
    public func run(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [.init(service: Serving(serve: self, onListening: onListening))],
                gracefulShutdownSignals: [.sigterm, .sigint], cancellationSignals: [], logger: logger))
        try await group.run()
    }

    /// The whole server as one service: prepares the pipeline (stopping early on a graceful shutdown), then runs
    /// its services and the HTTP endpoint in a group that inherits the graceful shutdown.
    private struct Serving: Service, CustomStringConvertible {
        let serve: OndoServe
        let onListening: @Sendable (Int) async -> Void

        /// ServiceLifecycle logs each service at debug level: the name only, not the configuration it holds.
        var description: String { "ondo serve" }

        func run() async throws {
            let configuration = serve.configuration
            let logger = serve.logger
            let pipeline: PipelineServices
            do {
                let failPoints = serve.failPoints
                pipeline = try await cancelWhenGracefulShutdown {
                    try await PipelineServices.prepare(
                        configuration: configuration, failPoints: failPoints, logger: logger)
                }
            } catch is CancellationError where Task.isShuttingDownGracefully {
                logger.info("ondo serve stopped before it started")
                return
            }
            let http = HealthServer(
                host: configuration.server.httpHost, port: configuration.server.httpPort, metrics: pipeline.metrics,
                readiness: pipeline.readiness, logger: logger, onListening: onListening)
            // Shut down in reverse order: the workers finish their batches first, the HTTP endpoint goes last.
            let services: [any Service] = [http] + pipeline.services
            let group = ServiceGroup(
                configuration: ServiceGroupConfiguration(
                    services: services.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) },
                    gracefulShutdownSignals: [], cancellationSignals: [], logger: logger))
            logger.info(
                "ondo serve starting",
                metadata: [
                    "ondo.model": "\(pipeline.modelVersion)", "ondo.workers": "\(configuration.pipeline.workers)",
                    "ondo.database": "\(pipeline.endpoint)",
                ])
            do {
                try await group.run()
            } catch {
                await pipeline.close()
                throw error
            }
            await pipeline.close()
            logger.info("ondo serve stopped")
        }
    }

    /// Waits up to `patience` for the database to answer (a server started together with its database waits
    /// about a minute), then checks its schema is the one this build was written for (``SchemaVersion``).
    static func waitForSchema(
        _ pool: PostgresPool, patience: Duration = .seconds(60), logger: Logger
    ) async throws {
        var delay = Duration.milliseconds(250)
        let deadline = ContinuousClock.now + patience
        while true {
            do {
                let mismatch = try await pool.withConnection { try SchemaVersion.mismatch(on: $0) }
                if let mismatch { throw ConfigurationError(code: .invalidValue, message: mismatch) }
                return
            } catch  where PostgresError.isConnectionFailure(error) && ContinuousClock.now < deadline {
                logger.warning("database not reachable yet; retrying", metadata: ["ondo.error": "\(error)"])
                try await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(5))
            }
        }
    }
}
