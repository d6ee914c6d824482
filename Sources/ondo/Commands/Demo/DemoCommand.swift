import ArgumentParser
import Foundation
import OndoDemo
import OndoServer
import ShopSimulator

/// `ondo demo`: Ondo's main job end to end, in about a minute, on a private PostgreSQL cluster by default.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Ondo's main job end to end in about a minute, on a private PostgreSQL cluster it starts itself.",
        discussion: """
            1. Database: when none is configured (or with --embedded), a private PostgreSQL cluster in \
            .ondo/postgres, created on first use with the machine's own initdb/pg_ctl (as the user postgres when \
            run as root), migrated, and stopped at the end — Ctrl-C included. A second run reuses it; --reset \
            starts clean.
            2. A generated shop with a year of history (--customers, --seed), written as the shop would; the \
            shop an earlier run wrote into the same database is kept as it is, whatever --customers says.
            3. Ondo's review pipeline runs in-process (the services of `ondo serve`) while a simulated shop keeps \
            signing customers up, taking orders and receiving reviews for --duration seconds; every two seconds a \
            line shows reviews scored per second, the backlog, customers per state and the latest notable state \
            changes with their reasons. Ctrl-C (or SIGTERM) ends this step early and the summary follows; a \
            second one, or pipeline.shutdownTimeoutSeconds passing with a batch still in hand, stops the cluster \
            and exits at once with 128 + the signal (130 for Ctrl-C), as `ondo serve` does. During steps 1 and 2 \
            a first Ctrl-C stops the demo once the step in hand is done (status 0).
            4. A summary: customers per state, the products with the most negative reviews and what they complain \
            about, and one at-risk customer explained.

            Examples:
              ondo demo
              ondo demo --duration 120 --customers 10000 --seed 3
              ondo demo --reset
              ondo demo --database-url postgresql://postgres@localhost/ondo_demo
            """)

    @OptionGroup var common: CommonOptions

    @Option(name: .long, parsing: .unconditional, help: "Seconds of live shop traffic.")
    var duration = 40.0

    @Option(name: .long, parsing: .unconditional, help: "The generator's seed.")
    var seed: UInt64 = 7

    @Option(
        name: .long, parsing: .unconditional,
        help: "Customers of the generated shop (products, orders and reviews scale with it).")
    var customers = 3_000

    @Option(name: .long, parsing: .unconditional, help: "Live events (sign-ups, orders, reviews) per second.")
    var rate = 20.0

    @Flag(name: .long, help: "Delete the embedded cluster's data first and start clean.")
    var reset = false

    @OptionGroup var serverModel: ServerModelOption

    func validate() throws {
        // Checked here, before the seconds become a `Duration`: NaN, infinity or a huge number would trap there.
        if !(duration >= 1 && duration <= LiveShopService.longestDurationSeconds) {
            throw ValidationError(
                "--duration must be a number of seconds from 1 to \(Int(LiveShopService.longestDurationSeconds))")
        }
        let problems = demoOptions.problems()
        if !problems.isEmpty { throw ValidationError(problems.joined(separator: "; ")) }
        if reset && common.databaseURL != nil {
            throw ValidationError("--reset deletes the embedded cluster's data; it cannot be used with --database-url")
        }
    }

    /// The options given; `duration` must be checked first (see `validate()`).
    private var demoOptions: DemoOptions {
        var options = DemoOptions(now: GenerationPeriod.defaultEnd())
        options.seed = seed
        options.customers = customers
        options.duration = .milliseconds(Int64(duration * 1000))
        options.rate = rate
        return options
    }

    func run() async throws {
        try await reportingFailures("demo") {
            let logger = common.makeLogger(label: "ondo.demo")
            var configuration = try common.loadConfiguration()
            serverModel.apply(to: &configuration)
            let useEmbedded =
                common.embedded || common.embeddedDir != nil
                || (configuration.database.url == nil && configuration.database.adminUrl == nil)
            if reset && !useEmbedded {
                throw CommandError("--reset applies to the embedded cluster, but a database is configured")
            }
            // The administrator's URL alone migrates and writes the shop, and then the pipeline has no connection:
            // refuse before anything is written.
            if !useEmbedded && configuration.database.url == nil {
                throw CommandError(
                    "only the administrator's database URL is configured, and Ondo's pipeline needs its own: set "
                        + "ONDO_DATABASE_URL (or database.url), or pass --database-url, which serves both")
            }
            var options = demoOptions
            // For the hints that name a command: the options that reach this demo's database.
            options.connectionOptions = common.connectionArguments(onEmbeddedCluster: useEmbedded).map(
                CommonOptions.shellQuoted)
            options.resetCommand =
                common.embeddedDir.map { "ondo demo --reset --embedded-dir \(CommonOptions.shellQuoted($0))" }
                ?? "ondo demo --reset"
            let printer = DemoPrinter(options: options, embedded: useEmbedded)
            printer.start()
            let cluster: OndoDemo.ClusterEnd
            do {
                cluster = try await OndoDemo(
                    options: options, configuration: configuration,
                    embedded: useEmbedded ? common.embeddedOptions(reset: reset) : nil, logger: logger,
                    output: { printer.show($0) }
                ).run()
            } catch let cutShort as ShutdownCutShort {
                // Already logged, and the cluster stopped; the status says the work in hand was not finished. On a
                // configured database (or a cluster another process still uses) a statement still running — the
                // shop's write waiting for a lock, say — would go on in its backend until statement_timeout.
                ServeSignals.cancelStatementsLeftRunning()
                throw ExitCode(cutShort.exitStatus)
            }
            printer.finish(cluster: cluster)
        }
    }
}
