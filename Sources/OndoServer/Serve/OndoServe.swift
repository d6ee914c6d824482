import CRM
import CRMStore
import Foundation
import Logging
import Postgres
import ServiceLifecycle

/// `ondo serve`: the review workers, the lease sweeper, the state scheduler, the notification listener and
/// the HTTP endpoint, run as one `ServiceGroup` that stops gracefully on SIGTERM or SIGINT, within
/// `pipeline.shutdownTimeoutSeconds` or until a second signal (``ShutdownLimit``).
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

    /// Loads the model, checks the database, and serves until SIGTERM/SIGINT (`signals`, trapped when the command
    /// started). `onListening` gets the HTTP port. Throws ``ShutdownCutShort`` when the shutdown did not finish the
    /// batches in hand (see ``ShutdownLimit``), or the error of a service that failed, once the batches its failure
    /// abandoned are given back.
    ///
    /// A model that cannot be loaded stops it before anything else, and then a database that answers at once with a
    /// schema that is not this build's. Then the HTTP endpoint comes first: while the server waits for its database
    /// (about a minute at most), `/healthz` answers and `/readyz` says what it waits for. A signal at any point of the
    /// start-up stops it cleanly, with a log line, instead of killing the process: nothing has been claimed yet.
    public func run(signals: ServeSignals, onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws
    {
        try configuration.validate()
        if stoppedDuringStartUp(signals) { return }
        if let gate = failPoints.holdStartUpUntilFile {
            logger.notice("fail point: start-up held until a file exists", metadata: ["ondo.file": "\(gate)"])
            await FailPoints.waitForFile(gate)
            try Task.checkCancellation()
        }
        let engine = try ScoringEngine.load(configuration.server, logger: logger)
        if stoppedDuringStartUp(signals) { return }
        try await Self.refuseAWrongSchemaBeforeListening(configuration.database, logger: logger)
        if stoppedDuringStartUp(signals) { return }
        let readiness = Readiness()
        let metrics = PipelineMetrics()
        let heldLeases = HeldLeases()
        let http = HealthServer(
            host: configuration.server.httpHost, port: configuration.server.httpPort, metrics: metrics,
            readiness: readiness, logger: logger, onListening: onListening)
        let limit = ShutdownLimit(limitSeconds: configuration.pipeline.shutdownTimeoutSeconds, logger: logger)
        let (configuration, logger) = (configuration, logger)
        try await limit.run(signals: signals.running()) { reportFailure in
            let pipeline = Pipeline(
                serve: self, engine: engine, readiness: readiness, metrics: metrics, heldLeases: heldLeases,
                reportFailure: reportFailure)
            // Shut down in reverse order: the pipeline (its workers finish their batches first), the HTTP endpoint
            // last.
            return ServiceGroup(
                configuration: ServiceGroupConfiguration(
                    services: ([http, pipeline] as [any Service]).map {
                        .init(service: ReportingFailure(service: $0, report: reportFailure))
                    },
                    // The signals are ShutdownLimit's: it shuts the group down gracefully on the first one.
                    gracefulShutdownSignals: [], cancellationSignals: [], logger: logger))
        } giveBack: { patience in
            await Self.giveBack(heldLeases, configuration: configuration, patience: patience, logger: logger)
        }
    }

    /// Whether a signal asked the server to stop while it started up (``ServeSignals``): then it says so and stops
    /// before the next step.
    private func stoppedDuringStartUp(_ signals: ServeSignals) -> Bool {
        guard signals.stopRequested != nil else { return false }
        logger.info("ondo serve stopped before it started")
        return true
    }

    /// Gives the workers' leases back (``HeldLeases``), waiting at most `patience`, and logs what became of them.
    private static func giveBack(
        _ heldLeases: HeldLeases, configuration: OndoConfiguration, patience: Duration, logger: Logger
    ) async {
        // Nothing in hand (a pipeline that failed before its workers claimed anything): nothing to say either.
        guard !heldLeases.tokens.isEmpty else { return }
        do {
            let postgres = try configuration.database.postgresConfiguration(for: .application)
            if let outcome = await heldLeases.giveBack(configuration: postgres, patience: patience, logger: logger) {
                logger.notice("leases given back", metadata: ["ondo.count": "\(outcome.givenBack)"])
                if outcome.leftToLease > 0 {
                    logger.warning(
                        "rows locked by a transaction that has not ended keep their leases until they expire",
                        metadata: ["ondo.count": "\(outcome.leftToLease)"])
                }
            } else {
                logger.warning(
                    "the database did not take the leases back in time; their work returns when they expire",
                    metadata: ["ondo.patience_seconds": "\(patience)"])
            }
        } catch {
            logger.warning("leases not given back", metadata: ["ondo.error": "\(error)"])
        }
    }

    /// The pipeline as one service: prepares it (stopping early on a graceful shutdown), then runs its services in
    /// a group that inherits the graceful shutdown.
    private struct Pipeline: Service, CustomStringConvertible {
        let serve: OndoServe
        let engine: ScoringEngine
        let readiness: Readiness
        let metrics: PipelineMetrics
        let heldLeases: HeldLeases
        /// Tells ``ShutdownLimit`` of a service of the pipeline that failed, before its group has stopped the others.
        let reportFailure: @Sendable (any Error) -> Void

        /// ServiceLifecycle logs each service at debug level: the name only, not the configuration it holds.
        var description: String { "ondo serve pipeline" }

        func run() async throws {
            let configuration = serve.configuration
            let logger = serve.logger
            let pipeline: PipelineServices
            do {
                let (engine, failPoints, readiness, metrics) = (engine, serve.failPoints, readiness, metrics)
                let heldLeases = heldLeases
                pipeline = try await cancelWhenGracefulShutdown {
                    try await PipelineServices.prepare(
                        configuration: configuration, engine: engine, failPoints: failPoints, readiness: readiness,
                        metrics: metrics, heldLeases: heldLeases, logger: logger)
                }
            } catch  where Task.isShuttingDownGracefully && Self.isCancellation(error) {
                logger.info("ondo serve stopped before it started")
                return
            }
            let group = ServiceGroup(
                configuration: ServiceGroupConfiguration(
                    services: pipeline.services.map {
                        ServiceGroupConfiguration.ServiceConfiguration(
                            service: ReportingFailure(service: $0, report: reportFailure))
                    },
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

        /// Whether `error` is what a cancelled wait throws: Swift's, or the pool's while waiting for a connection.
        private static func isCancellation(_ error: any Error) -> Bool {
            error is CancellationError || (error as? PostgresError)?.code == .cancelled
        }
    }

    /// Waits up to `patience` for the database to answer (a server started together with its database waits
    /// about a minute), then checks its schema is the one this build was written for (``SchemaVersion``).
    static func waitForSchema(
        _ pool: PostgresPool, patience: Duration = .seconds(60), logger: Logger
    ) async throws {
        let mismatch = try await retryingWhileUnreachable(
            patience: patience, warning: "database not reachable yet; retrying", logger: logger
        ) { try await pool.withConnection { try SchemaVersion.mismatch(on: $0) } }
        if let mismatch { throw ConfigurationError(code: .invalidValue, message: mismatch) }
    }

    /// `body`'s result, calling it again while it fails to connect (with `warning` logged and a pause doubling from
    /// 0.25 s to 5 s) until `patience` has passed; any other error, or a connection failure after that, is thrown.
    static func retryingWhileUnreachable<T: Sendable>(
        patience: Duration, warning: Logger.Message, logger: Logger, _ body: () async throws -> T
    ) async throws -> T {
        var delay = Duration.milliseconds(250)
        let deadline = ContinuousClock.now + patience
        while true {
            do {
                return try await body()
            } catch  where PostgresError.isConnectionFailure(error) && ContinuousClock.now < deadline {
                logger.warning(warning, metadata: ["ondo.error": "\(error)"])
                try await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(5))
            }
        }
    }
}
