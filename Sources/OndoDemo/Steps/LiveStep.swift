import OndoServer
import Postgres
import ServiceLifecycle
import ShopSimulator

/// Runs Ondo's pipeline in-process — the same services as `ondo serve` — while the shop simulator keeps
/// signing customers up, taking orders and receiving reviews, and shows what happens every few seconds.
/// Stops after the demo's duration and a short catch-up, or at Ctrl-C.
struct LiveStep: DemoStep {
    var title: String { "Live: the shop keeps selling while Ondo scores its reviews and updates customer states" }

    func run(_ context: inout DemoContext) async throws {
        guard let shop = context.shop else { preconditionFailure("the shop step runs before the live step") }
        let pipeline = try await PipelineServices.prepare(configuration: context.configuration, logger: context.logger)
        let viewPool: PostgresPool
        do {
            viewPool = PostgresPool(
                configuration: try context.configuration.database.postgresConfiguration(for: .application),
                maxConnections: 1, logger: context.logger)
        } catch {
            await pipeline.close()
            throw error
        }
        do {
            try await run(&context, shop: shop, pipeline: pipeline, viewPool: viewPool)
        } catch let cutShort as ShutdownCutShort {
            // The process exits now: closing the pools would wait for a worker stuck in the database.
            throw cutShort
        } catch {
            await pipeline.close()
            await viewPool.close()
            throw error
        }
        await pipeline.close()
        await viewPool.close()
    }

    private func run(
        _ context: inout DemoContext, shop: ShopSimulation, pipeline: PipelineServices, viewPool: PostgresPool
    ) async throws {
        let options = context.options
        let reviewsBefore = try await viewPool.withConnection {
            try $0.queryValue(Int.self, "SELECT count(*) FROM shop.reviews")
        }
        let simulator = try await shop.liveService(
            rate: options.rate, duration: options.duration, logger: context.logger)
        let view = DemoLiveView(pool: viewPool, simulator: simulator, options: options, output: context.output)
        context.tell(
            .liveStarted(
                modelVersion: pipeline.modelVersion, workers: context.configuration.pipeline.workers,
                rate: options.rate, seconds: options.duration / .seconds(1)))

        // As `ondo serve`: the first signal shuts the group down gracefully, a second one or the time limit cuts
        // that short (ShutdownLimit throws ShutdownCutShort), and a failed pipeline service ends the step within
        // ShutdownLimit's patience, even with a worker stuck in the database.
        let limit = ShutdownLimit(
            limitSeconds: context.configuration.pipeline.shutdownTimeoutSeconds, logger: context.logger)
        let signals = context.signals
        defer { signals?.finished() }
        let logger = context.logger
        try await limit.run(signals: signals?.running() ?? AsyncStream { $0.finish() }) { reportFailure in
            ServiceGroup(
                configuration: ServiceGroupConfiguration(
                    services: Self.groupServices(
                        view: view, pipeline: pipeline.services, simulator: simulator, reportFailure: reportFailure),
                    gracefulShutdownSignals: [], cancellationSignals: [], logger: logger))
        } giveBack: { _ in
            // The demo's own database: leases left by a cut-short batch expire by themselves.
        }
        context.liveStatistics = simulator.statistics
        // The shop's own time: the step also waited for the view's next look and for the backlog.
        context.liveSeconds = context.liveStatistics.elapsedSeconds
        context.interrupted = view.interrupted
        context.reviewsBeforeLive = reviewsBefore
    }

    /// The live step's group, shut down in reverse order: the shop stops first, then the pipeline's workers finish
    /// their batches. The pipeline's services report their failure to `reportFailure` (``ReportingFailure``, as in
    /// `ondo serve`): the group throws a failure only once every service has stopped, never while a worker is stuck
    /// in a database call that cancelling cannot end. Not the view, whose return ends the group on purpose, nor the
    /// simulator, whose return after the demo's duration is no failure.
    static func groupServices(
        view: any Service, pipeline: [any Service], simulator: any Service,
        reportFailure: @escaping @Sendable (any Error) -> Void
    ) -> [ServiceGroupConfiguration.ServiceConfiguration] {
        typealias Configured = ServiceGroupConfiguration.ServiceConfiguration
        return [Configured(service: view, successTerminationBehavior: .gracefullyShutdownGroup)]
            + pipeline.map { Configured(service: ReportingFailure(service: $0, report: reportFailure)) }
            + [Configured(service: simulator, successTerminationBehavior: .ignore)]
    }
}
