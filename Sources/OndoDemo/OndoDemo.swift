import Foundation
import Logging
import OndoServer

/// `ondo demo`: Ondo's main job end to end, in about a minute — a database (a private embedded cluster unless
/// one is configured), a generated shop with a year of history, the review pipeline running in-process while a
/// simulated shop keeps selling, and a summary of what Ondo found. The embedded cluster is stopped at the end.
public struct OndoDemo: Sendable {
    /// The steps, in order. A later step (a promotion campaign aimed at the at-risk customers, say) goes
    /// between the live step and the summary.
    public static let defaultSteps: [any DemoStep] = [DatabaseStep(), ShopStep(), LiveStep(), SummaryStep()]

    /// What the demo does.
    public let options: DemoOptions
    /// The steps it runs.
    public var steps: [any DemoStep] = defaultSteps
    private let configuration: OndoConfiguration
    private let embedded: EmbeddedDatabase.Options?
    private let logger: Logger
    private let output: @Sendable (DemoEvent) -> Void

    /// A demo on the configured database, or on an embedded cluster when `embedded` is given; `output` receives
    /// everything worth showing.
    public init(
        options: DemoOptions, configuration: OndoConfiguration, embedded: EmbeddedDatabase.Options?, logger: Logger,
        output: @escaping @Sendable (DemoEvent) -> Void
    ) {
        self.options = options
        self.configuration = configuration
        self.embedded = embedded
        self.logger = logger
        self.output = output
    }

    /// What became of the embedded cluster when the demo ended.
    public enum ClusterEnd: Sendable, Equatable {
        /// No embedded cluster: the demo ran on a configured database.
        case none
        /// The demo was the last process using the cluster, and stopped it.
        case stopped
        /// Another `ondo` process still uses the cluster: the demo left it running, for the last one out to stop.
        case leftRunning
        /// Stopping failed (the demo said why).
        case stopFailed
    }

    /// Runs every step; whatever happens, closes the shop's connection and stops the embedded cluster (unless
    /// another process still uses it). Returns what became of the cluster. Throws ``ShutdownCutShort`` when a second
    /// signal or `pipeline.shutdownTimeoutSeconds` cut the live step's shutdown short, once the cluster is stopped.
    @discardableResult
    public func run() async throws -> ClusterEnd {
        let problems = options.problems()
        guard problems.isEmpty else { throw DemoError(problems.joined(separator: "; ")) }
        // The live step loads the model; a missing one (--model with a typo) stopped the demo there, after the
        // cluster was created and the shop written.
        _ = try PipelineServices.modelVersion(configuration: configuration)
        var context = DemoContext(
            options: options, configuration: configuration, embeddedOptions: embedded, logger: logger, output: output)
        // First: a signal while the cluster starts or the shop is written stops the demo after that step.
        context.signals = await ServeSignals.trap(logger: logger)
        do {
            for (index, step) in steps.enumerated() {
                if let signal = context.signals?.stopRequested {
                    output(.note("stopped by \(signal) before step \(index + 1)"))
                    break
                }
                output(.step(number: index + 1, title: step.title))
                try await step.run(&context)
            }
        } catch let cutShort as ShutdownCutShort {
            // The live step's shutdown was cut short: stop the cluster (its sessions end with it, a worker stuck in
            // one included; not while another process uses it) and let the command exit as `ondo serve` does, with
            // 128 + the signal's number.
            if let embedded = context.embedded { try? await BlockingWork.run { try embedded.stop() } }
            logger.warning("ondo demo stopped", metadata: ["ondo.exit_status": "\(cutShort.exitStatus)"])
            throw cutShort
        } catch {
            _ = await Self.cleanUp(context)
            throw context.embedded?.explain(error) ?? error
        }
        return await Self.cleanUp(context)
    }

    private static func cleanUp(_ context: DemoContext) async -> ClusterEnd {
        await context.shop?.close()
        guard let embedded = context.embedded else { return .none }
        do {
            try await BlockingWork.run { try embedded.stop() }
        } catch {
            context.output(.note("could not stop the embedded PostgreSQL: \(error)"))
            return .stopFailed
        }
        // `stop()` leaves a server that another process still uses running; its pid file stays.
        return embedded.server.postmasterPID == nil ? .stopped : .leftRunning
    }
}

/// Why the demo cannot run: one sentence.
public struct DemoError: Error, Sendable, CustomStringConvertible {
    /// The sentence.
    public var description: String

    init(_ description: String) {
        self.description = description
    }
}
