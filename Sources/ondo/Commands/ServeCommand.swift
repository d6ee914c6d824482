import ArgumentParser
import Foundation
import OndoServer

/// `ondo serve`: runs the review pipeline, the state scheduler and the HTTP endpoint until SIGTERM.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Score reviews and keep customer states current until stopped (SIGTERM or Ctrl-C).",
        discussion: """
            Workers claim batches of new or edited reviews, score them with the sentiment model, and recompute \
            each affected customer's state and churn risk in one transaction per batch. New orders and signups \
            recompute their customer too; a scheduler recomputes customers whose state changes with time alone.
            Several `ondo serve` processes may share one database.

            Configuration: the "pipeline", "states", "aspects" and "server" sections of the configuration file \
            (see the README for every key and default), then the environment (ONDO_WORKERS, ONDO_HTTP_HOST, \
            ONDO_HTTP_PORT, ONDO_SENTIMENT_MODEL, ONDO_DATABASE_*), then these flags. \
            ONDO_DATABASE_CONNECT_TIMEOUT (database.connectTimeoutSeconds, default 10) is how many seconds a \
            connection may take; 0 means no limit, and 1 waits 2 s (libpq's minimum). \
            ONDO_DATABASE_LISTEN_URL (database.listenUrl; default: the database URL) is the connection of the \
            notification listener alone, which wakes idle workers when reviews arrive: behind a transaction pooler \
            (PgBouncer pool_mode = transaction), which passes no notification on, point it straight at PostgreSQL \
            and keep --database-url at the pooler. It takes the application's password file, and a URL reaching \
            another database is refused at start. \
            pipeline.unknownReferenceAttempts (attempts while a review's customer or product is missing, default 3) \
            must be 1 or less than pipeline.retry.maximumAttempts (default 5): waiting counts towards the maximum.
            HTTP: /healthz (alive), /readyz (model loaded, database reachable, workers running), /metrics \
            (Prometheus text).
            On SIGTERM or Ctrl-C the workers stop claiming, finish the batch in hand, and the process exits with \
            status 0. A second SIGTERM or Ctrl-C, or pipeline.shutdownTimeoutSeconds (default 7 s) passing first, \
            abandons the batches in hand (a batch is written in one transaction: nothing is half written; a \
            statement waiting on a lock is cancelled), gives their work back to the queue for another server at \
            once, and exits within 2 s (3 s when the database does not answer) with 128 + the signal's number \
            (143 for SIGTERM, 130 for Ctrl-C).
            A signal while the server is still starting (the model loading, the --embedded cluster starting, the \
            database not answering yet) is logged and stops it before anything is claimed, with status 0; a second \
            one then exits at once with 128 + its number.
            """)

    @OptionGroup var common: CommonOptions

    @Option(
        name: .long, parsing: .unconditional,
        help: "Port for /healthz, /readyz and /metrics; 0 picks a free port (default 8080).")
    var httpPort: Int?

    @Option(name: .long, help: "Address the HTTP endpoint binds (default 127.0.0.1).")
    var httpHost: String?

    @Option(name: .long, parsing: .unconditional, help: "Review workers in this process (default 2).")
    var workers: Int?

    @OptionGroup var serverModel: ServerModelOption

    @Flag(
        name: .long,
        help: "Benchmarks only: score every review 0.5 without the model (measures the queue and database path).")
    var standInModel = false

    /// Out-of-range flags are usage errors, refused before the `--embedded` cluster starts (the same values from the
    /// configuration file or the environment are refused once it is read, by ``OndoConfiguration/validate()``).
    func validate() throws {
        if let workers, !(1...PipelineSettings.maximumWorkers).contains(workers) {
            throw ValidationError(
                "--workers must be between 1 and \(PipelineSettings.maximumWorkers) (it is \(workers))")
        }
        if let httpPort, !(0...65_535).contains(httpPort) {
            throw ValidationError("--http-port must be between 0 and 65535 (it is \(httpPort))")
        }
    }

    func run() async throws {
        let logger = common.makeLogger(label: "ondo.serve", defaultLevel: .info)
        // First: a signal while the embedded cluster starts or the model loads stops the server cleanly, with status 0.
        let signals = await ServeSignals.trap(logger: logger)
        try await reportingFailures("serve") {
            try await common.withDatabase(logger: logger) { loaded in
                var configuration = loaded
                if let httpPort { configuration.server.httpPort = httpPort }
                if let httpHost { configuration.server.httpHost = httpHost }
                if let workers { configuration.pipeline.workers = workers }
                serverModel.apply(to: &configuration)
                if standInModel { configuration.server.standInModel = true }
                try configuration.validate()
                let failPoints = try FailPoints(environment: ProcessInfo.processInfo.environment)
                let serve = OndoServe(configuration: configuration, failPoints: failPoints, logger: logger)
                do {
                    try await serve.run(signals: signals) { port in
                        // One machine-readable line on stdout, so scripts and tests learn a port picked with 0.
                        FileHandle.standardOutput.write(Data("ondo serve: listening on port \(port)\n".utf8))
                    }
                } catch let cutShort as ShutdownCutShort {
                    // Already logged; the status tells scripts and orchestrators the work in hand was not finished.
                    // A statement still running would go on in its backend until statement_timeout.
                    ServeSignals.cancelStatementsLeftRunning()
                    throw ExitCode(cutShort.exitStatus)
                }
            }
        }
    }
}
