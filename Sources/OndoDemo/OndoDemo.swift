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

    /// Runs every step; whatever happens, closes the shop's connection and stops the embedded cluster.
    public func run() async throws {
        let problems = options.problems()
        guard problems.isEmpty else { throw DemoError(problems.joined(separator: "; ")) }
        var context = DemoContext(
            options: options, configuration: configuration, embeddedOptions: embedded, logger: logger, output: output)
        do {
            for (index, step) in steps.enumerated() {
                output(.step(number: index + 1, title: step.title))
                try await step.run(&context)
            }
        } catch {
            await Self.cleanUp(context)
            throw error
        }
        await Self.cleanUp(context)
    }

    private static func cleanUp(_ context: DemoContext) async {
        await context.shop?.close()
        if let embedded = context.embedded {
            do {
                try await BlockingWork.run { try embedded.stop() }
            } catch {
                context.output(.note("could not stop the embedded PostgreSQL: \(error)"))
            }
        }
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
