import CRMStore
import EmbeddedPostgres
import Foundation
import Postgres
import TestSupport
import Testing

extension PipelineTests {
    /// `ondo serve` as an operator sees it around a database that is not there: signals while it waits for the
    /// database at start, and `/metrics` while the database is down.
    @Suite struct ServeLifecycle {
        /// `ondo serve` pointed at a socket folder that does not exist: it waits for its database.
        /// `ondo serve` against a socket folder where no server runs. Its shutdown limit is 25 s, not 7: what these
        /// tests check is the exit status of a graceful stop, and on a starved machine the stop of a server that
        /// started its HTTP endpoint late once ran past 7 s and was cut short (143).
        private func startServerWithoutDatabase() throws -> OndoProcess {
            let nowhere = NSTemporaryDirectory() + "ondo-no-database-\(UUID().uuidString)"
            let config = try TestFiles.path("ondo-config", suffix: ".json")
            try Data(#"{"pipeline": {"shutdownTimeoutSeconds": 25}}"#.utf8).write(to: URL(fileURLWithPath: config))
            return try OndoProcess.start(
                ["serve", "--http-port", "0", "--log-level", "info", "--config", config],
                environment: [
                    "ONDO_DATABASE_URL": "postgresql://ondo@/ondo?host=\(nowhere)&port=5999",
                    "ONDO_SENTIMENT_MODEL": PipelineHarness.modelPath,
                ])
        }

        /// SIGTERM while the server still waits for its database (it waits about a minute at start) is a clean
        /// stop: exit status 0, not death by the signal (which an orchestrator reports as a failure, status 143).
        @Test(arguments: [SIGTERM, SIGINT])
        func aSignalWhileWaitingForTheDatabaseAtStartExitsZero(_ signal: Int32) async throws {
            let server = try startServerWithoutDatabase()
            let deadline = Date().addingTimeInterval(30)
            while !server.output().standardError.contains("database not reachable yet"), server.isRunning,
                Date() < deadline
            {
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(server.output().standardError.contains("database not reachable yet"))
            server.signal(signal)
            let outcome = try await server.waitForExit(seconds: 30)
            print("signal \(signal) while waiting for the database: exit \(outcome.status)")
            #expect(outcome.status == 0, "\(outcome.standardError)")
        }

        /// `ondo serve` held before it loads its model (fail point `serve.hold_start_until_file`) until `gate` exists;
        /// returns once it says so. Its database is never reached: it stops before that.
        private func startServerHeldBeforeTheModel(gate: String) async throws -> OndoProcess {
            let nowhere = NSTemporaryDirectory() + "ondo-no-database-\(UUID().uuidString)"
            let server = try OndoProcess.start(
                ["serve", "--http-port", "0", "--log-level", "info"],
                environment: [
                    "ONDO_DATABASE_URL": "postgresql://ondo@/ondo?host=\(nowhere)&port=5999",
                    "ONDO_SENTIMENT_MODEL": PipelineHarness.modelPath,
                    "ONDO_FAILPOINTS": "serve.hold_start_until_file=\(gate)",
                ])
            try await Self.waitFor("start-up held", in: server)
            return server
        }

        /// Waits (up to 30 s) until `server` has logged `text`, or has exited.
        private static func waitFor(_ text: String, in server: OndoProcess) async throws {
            let deadline = Date().addingTimeInterval(30)
            while !server.output().standardError.contains(text), server.isRunning, Date() < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
        }

        /// A signal before the server's service group runs — here while it is held before loading its model; in life
        /// while the model loads or the embedded cluster starts — killed the process with nothing logged (status 143
        /// to an orchestrator; `Process` reports 15 or 2). Nothing has been claimed then: the server logs that it was
        /// asked to stop during start-up, stops after the step in hand, and exits 0 without opening its endpoint.
        @Test(arguments: [SIGTERM, SIGINT])
        func aSignalWhileStartingUpIsLoggedAndExitsZero(_ signal: Int32) async throws {
            let gate = try TestFiles.path("ondo-start-gate")
            let server = try await startServerHeldBeforeTheModel(gate: gate)
            server.signal(signal)
            try await Self.waitFor("asked to stop during start-up", in: server)
            _ = FileManager.default.createFile(atPath: gate, contents: nil)
            let outcome = try await server.waitForExit(seconds: 30)
            print("signal \(signal) while starting up: exit \(outcome.status)")
            #expect(outcome.status == 0, "\(outcome.standardError)")
            #expect(outcome.standardError.contains("asked to stop during start-up"), "\(outcome.standardError)")
            #expect(outcome.standardError.contains("ondo serve stopped before it started"), "\(outcome.standardError)")
            #expect(!outcome.standardOutput.contains("listening on port"), "\(outcome.standardOutput)")
        }

        /// A second signal during start-up does not wait for the step in hand: the process exits at once with
        /// 128 + the signal's number, as a second signal cuts a shutdown short.
        @Test func aSecondSignalWhileStartingUpExitsAtOnce() async throws {
            let gate = try TestFiles.path("ondo-start-gate")
            let server = try await startServerHeldBeforeTheModel(gate: gate)
            server.signal(SIGTERM)
            try await Self.waitFor("asked to stop during start-up", in: server)
            server.signal(SIGTERM)
            let outcome = try await server.waitForExit(seconds: 10)
            #expect(outcome.status == 143, "\(outcome.standardError)")
            #expect(outcome.standardError.contains("a second signal during start-up"), "\(outcome.standardError)")
        }

        /// While the server waits for its database at start, `/healthz` says it is alive and `/readyz` says why it
        /// is not ready: a liveness probe does not kill a server that is only waiting, and an operator sees the
        /// reason instead of a refused connection.
        @Test func theEndpointAnswersWhileTheServerWaitsForItsDatabase() async throws {
            let server = try startServerWithoutDatabase()
            defer { server.signal(SIGKILL) }
            let deadline = Date().addingTimeInterval(20)
            let port = try await PipelineHarness.httpPort(of: server, timeout: 20)
            while !server.output().standardError.contains("database not reachable yet"), Date() < deadline {
                try await Task.sleep(for: .milliseconds(50))
            }
            let healthz = try await Curl.get("http://127.0.0.1:\(port)/healthz")
            let readyz = try await Curl.get("http://127.0.0.1:\(port)/readyz")
            print("waiting for the database: /healthz \(healthz.debugDescription), /readyz \(readyz.debugDescription)")
            #expect(healthz == "ok\n")
            #expect(readyz.hasPrefix("not ready: ") && readyz.contains("database unreachable"), "\(readyz)")
            #expect(server.output().standardError.contains("database not reachable yet"))
            // Nothing has been sampled yet: the queue gauges say unknown, not an empty queue.
            let metrics = try await Curl.get("http://127.0.0.1:\(port)/metrics")
            #expect(Curl.metric("ondo_review_backlog", in: metrics)?.isNaN == true)
            #expect(Curl.metric("ondo_review_oldest_unprocessed_seconds", in: metrics)?.isNaN == true)
            let outcome = try await server.stop(seconds: 30)
            #expect(outcome.status == 0)
            // One line per event: libpq's "… No such file or directory⏎\tIs the server running locally …?" wrote each
            // "database not reachable yet" warning over two lines, the second without time, level or source.
            let lines = outcome.standardError.split(separator: "\n")
            let continuations = lines.filter { !$0.hasPrefix("20") }
            print("waiting for the database: \(lines.count) log lines, \(continuations.count) not starting with a time")
            #expect(continuations.isEmpty, "\(continuations.first.map(String.init) ?? "")")
            #expect(outcome.standardError.contains("\\n\tIs the server running"), "\(outcome.standardError)")
        }

        /// A password written into `ONDO_DATABASE_URL` or `ONDO_DATABASE_LISTEN_URL` (accepted there, though a
        /// password file is preferred) reaches no log line of a server at trace level: ServiceLifecycle logs each service it starts at debug level, with
        /// everything the service holds.
        @Test func aPasswordInTheURLReachesNoLogLineAtTraceLevel() async throws {  // S5
            let harness = try await PipelineHarness.make("url_secret")
            let secret = "s3cret-\(UUID().uuidString.prefix(8))"
            var url = try PostgresConnectionString(harness.db.connectionString(as: .app))
            url["password"] = secret  // ignored by the test cluster (trust), overridden by a password file
            // The listener's own URL (database.listenUrl), checked at start against the application's, as well.
            var listenURL = url
            listenURL["password"] = secret + "-listen"
            let server = try harness.startServer(
                logLevel: "trace",
                environment: ["ONDO_DATABASE_URL": url.conninfo, "ONDO_DATABASE_LISTEN_URL": listenURL.conninfo])
            _ = try await harness.httpPort(of: server)
            try await harness.addCustomers(1...1)
            try await harness.addReview(id: 1, customer: 1, rating: 1, body: "배송이 너무 늦고 포장도 엉망이에요")
            try await harness.waitForAllReviewsProcessed(timeout: 30)
            let outcome = try await server.stop()
            #expect(outcome.status == 0, "\(outcome.standardError)")
            let leaks = outcome.standardError.split(separator: "\n").filter { $0.contains(secret) }
            print("password in the URL, trace level: \(leaks.count) log lines hold it")
            #expect(leaks.count == 0, "\(leaks.first.map { String($0.prefix(300)) } ?? "")")
            #expect(!outcome.standardOutput.contains(secret))
            // Each service is logged by its name: printed whole, the services' contexts made lines of 212 KB and, for
            // the pipeline's group, 1 MB, which log shippers cut.
            let longest = outcome.standardError.split(separator: "\n").map(\.count).max() ?? 0
            print("trace level: longest log line \(longest) characters")
            #expect(longest < 4_096, "the longest log line has \(longest) characters")
        }

        /// While the database cannot be read, the sampled queue gauges say so (NaN) instead of repeating the last
        /// sample as if it were current; they are numbers again once the database is back.
        @Test func queueGaugesAreNaNWhileTheDatabaseIsDown() async throws {
            var database = try PrivateCluster.start(prefix: "ondo-gauges", port: 5434)
            let url = database.url
            let ondo = try database.connect()
            // A review for a customer the shop has not written: it waits in the queue, so the backlog is 1.
            try ondo.execute("INSERT INTO shop.products (id, name) VALUES (1, 'p')")
            try ondo.execute(
                "INSERT INTO shop.reviews (id, customer_id, product_id, rating, body) VALUES (1, 1, 1, 5, '좋아요')")
            ondo.close()

            let configPath = try TestFiles.path("ondo-gauges", suffix: ".json")
            var pipeline = PipelineHarness.fastPipeline
            pipeline["retry"] =
                ["maximumAttempts": 50, "initialDelaySeconds": 0.2, "maximumDelaySeconds": 1] as [String: any Sendable]
            pipeline["unknownReferenceAttempts"] = 49
            try JSONSerialization.data(withJSONObject: ["pipeline": pipeline]).write(
                to: URL(fileURLWithPath: configPath))
            let server = try OndoProcess.start(
                ["serve", "--http-port", "0", "--log-level", "info"],
                environment: [
                    "ONDO_DATABASE_URL": url, "ONDO_CONFIG": configPath,
                    "ONDO_SENTIMENT_MODEL": PipelineHarness.modelPath,
                ])
            let port = try await PipelineHarness.httpPort(of: server)
            let metricsURL = "http://127.0.0.1:\(port)/metrics"
            func sample(_ until: String, _ condition: (Double?, String) -> Bool) async throws -> Double? {
                let deadline = Date().addingTimeInterval(30)
                while Date() < deadline {
                    let readyz = (try? await Curl.get("http://127.0.0.1:\(port)/readyz")) ?? ""
                    let backlog = Curl.metric("ondo_review_backlog", in: try await Curl.get(metricsURL))
                    if condition(backlog, readyz) { return backlog }
                    try await Task.sleep(for: .milliseconds(100))
                }
                throw HarnessError("timed out waiting until \(until)")
            }
            let before = try await sample("the backlog is sampled") { backlog, readyz in
                backlog == 1 && readyz == "ready\n"
            }
            print("backlog while the database is up: \(String(describing: before))")

            try database.cluster.stop()
            _ = try await sample("/readyz says the database is unreachable") { _, readyz in
                readyz.contains("database unreachable")
            }
            // Two sampling rounds later the gauges must no longer show the sample from before the outage.
            try await Task.sleep(for: .seconds(1.5))
            let metrics = try await Curl.get(metricsURL)
            let backlog = Curl.metric("ondo_review_backlog", in: metrics)
            let oldest = Curl.metric("ondo_review_oldest_unprocessed_seconds", in: metrics)
            print(
                "while the database is down: backlog \(String(describing: backlog)), oldest \(String(describing: oldest))"
            )
            #expect(backlog?.isNaN == true, "the backlog is unknown while the database is down")
            #expect(oldest?.isNaN == true, "the oldest age is unknown while the database is down")

            try database.restart()
            let after = try await sample("the backlog is sampled again") { backlog, _ in backlog == 1 }
            #expect(after == 1)
            #expect(try await server.stop().status == 0)
            try database.cluster.stop()
        }

        /// A server whose every batch fails although the database answers (here a privilege taken away; in life a
        /// read-only standby behind the same address) says so on `/readyz`, and is ready again once it recovers.
        @Test func readyzSaysSoWhileEveryWorkerAttemptFails() async throws {
            let harness = try await PipelineHarness.make("failing_workers")
            let server = try harness.startServer()
            let port = try await harness.httpPort(of: server)
            func readyz(until: String, _ condition: (String) -> Bool) async throws -> String {
                let deadline = Date().addingTimeInterval(30)
                while Date() < deadline {
                    let answer = (try? await Curl.get("http://127.0.0.1:\(port)/readyz")) ?? ""
                    if condition(answer) { return answer }
                    try await Task.sleep(for: .milliseconds(100))
                }
                throw HarnessError("timed out waiting until \(until)")
            }
            _ = try await readyz(until: "ready") { $0 == "ready\n" }
            try await harness.db.withConnection { try $0.execute("REVOKE UPDATE ON crm.review_work FROM ondo_app") }
            let failing = try await readyz(until: "the workers are reported failing") {
                $0.contains("failing every attempt")
            }
            print("every claim refused: /readyz \(failing.debugDescription)")
            #expect(!failing.contains("database unreachable"), "the database answers: \(failing)")
            try await harness.db.withConnection { try $0.execute("GRANT UPDATE ON crm.review_work TO ondo_app") }
            _ = try await readyz(until: "ready again") { $0 == "ready\n" }
            #expect(try await server.stop().status == 0)
        }
    }
}
