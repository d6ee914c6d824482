import CRMStore
import Logging
import Postgres
import ServiceLifecycle

/// The review pipeline's services on a pool of their own — review workers, lease sweeper, state scheduler,
/// notification listener, queue monitor — ready to run in a `ServiceGroup`: what `ondo serve` runs (with its
/// HTTP endpoint), and what `ondo demo` runs in-process next to the shop simulator.
public struct PipelineServices: Sendable {
    /// The services, in start order; a group shuts them down in reverse (the workers finish their batches first).
    public let services: [any Service]
    /// The pipeline's metrics (also served on `/metrics` by `ondo serve`).
    public let metrics: PipelineMetrics
    /// The version of the scoring model in use.
    public let modelVersion: String
    /// Where the pipeline connects (no secrets).
    public let endpoint: String
    let readiness: Readiness
    let pool: PostgresPool

    /// The version of the model `configuration` names, from its file's header alone: a command that runs the
    /// pipeline later (`ondo demo`) finds a missing or foreign model file before it does anything else.
    public static func modelVersion(configuration: OndoConfiguration) throws -> String {
        try ScoringEngine.version(configuration.server)
    }

    /// Loads the model, opens the pool, waits for the database to answer and checks it was migrated (and that
    /// `database.listenUrl`, when set, reaches the same database).
    public static func prepare(
        configuration: OndoConfiguration, failPoints: FailPoints = FailPoints(), logger: Logger
    ) async throws -> PipelineServices {
        try configuration.validate()
        let engine = try ScoringEngine.load(configuration.server, logger: logger)
        return try await prepare(
            configuration: configuration, engine: engine, failPoints: failPoints, readiness: Readiness(),
            metrics: PipelineMetrics(), heldLeases: HeldLeases(), logger: logger)
    }

    /// Opens the pool with a loaded model, waits for the database to answer and checks it was migrated, recording
    /// each step in `readiness`, counting into `metrics` (which an HTTP endpoint may already serve) and keeping the
    /// workers' leases in `heldLeases`.
    static func prepare(
        configuration: OndoConfiguration, engine: ScoringEngine, failPoints: FailPoints, readiness: Readiness,
        metrics: PipelineMetrics, heldLeases: HeldLeases, logger: Logger
    ) async throws -> PipelineServices {
        readiness.modelLoaded()

        let postgres = try configuration.database.postgresConfiguration(for: .application)
        let listen = try configuration.database.postgresConfiguration(for: .notifications)
        let settings = configuration.pipeline
        let pool = PostgresPool(
            configuration: postgres, maxConnections: max(configuration.database.maxConnections, settings.workers + 3),
            // A shutdown cut short cancels the workers: a write waiting on a lock is cancelled and rolls back, so
            // that its rows can be given back (see ShutdownLimit).
            cancelsStatementsOfCancelledTasks: true, logger: logger)
        do {
            try await OndoServe.waitForSchema(pool, logger: logger)
            if configuration.database.listenUrl != nil {
                try await ListenDatabaseCheck.check(listen: listen, against: pool, logger: logger)
            }
        } catch {
            await pool.close()
            throw error
        }
        readiness.database(reachable: true)

        let context = PipelineContext.make(
            configuration: configuration, engine: engine, pool: pool, readiness: readiness, metrics: metrics,
            failPoints: failPoints, heldLeases: heldLeases, logger: logger)
        var services: [any Service] = [
            QueueMonitor(context: context), StateScheduler(context: context), LeaseSweeper(context: context),
            QueueNotifications(context: context, configuration: listen), ReviewWorkers(context: context),
        ]
        if failPoints.throwWhileBatchHeld || failPoints.throwOnceFileExists != nil {
            services.insert(FailingService(context: context), at: 0)
        }
        return PipelineServices(
            services: services, metrics: metrics, modelVersion: engine.version, endpoint: postgres.description,
            readiness: readiness, pool: pool)
    }

    /// Closes the pool; call it once the services have stopped.
    public func close() async {
        await pool.close()
    }
}
