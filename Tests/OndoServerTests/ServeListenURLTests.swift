import Foundation
import Postgres
import TestSupport
import Testing

/// `ondo serve` with `--database-url` at a transaction-pooling PgBouncer, whose server connections do not keep the
/// session that holds `LISTEN`: no notification arrives, and idle workers find work by polling only
/// (``ServeThroughPoolerTests``). `ONDO_DATABASE_LISTEN_URL` sends the listener's one connection straight to
/// PostgreSQL, and the queue's NOTIFY wakes the workers again; a listen URL that reaches another database is refused.
@Suite(.enabled(if: TransactionPooler.isInstalled, "needs PgBouncer (/usr/sbin/pgbouncer)"), .serialized)
struct ServeListenURLTests {
    /// How long after the workers are ready the first review is committed. An idle worker's wait doubles from
    /// 0.02 s up to 20.48 s (0.02 s × 2¹⁰; a poll interval of 60 s does not lengthen it further), so the workers look
    /// about 10.2, 20.5 and 40.9 s after their first claim: a review committed 23 s after it waits about 18 s for the
    /// next look, and only a notification finds it within ``bound``.
    private static let idleBeforeFirstReview = 23.0
    /// The pickup the first review must beat when a notification wakes the workers (and not when none does).
    private static let bound = 10.0

    @Test(arguments: [true, false])
    func aDirectListenURLWakesIdleWorkersBehindATransactionPooler(listensDirectly: Bool) async throws {
        let database = try await runBlocking { try PrivateCluster.start(prefix: "ondo-serve-listen", port: 5437) }
        let pooler = try #require(
            try await runBlocking { try ServeThroughPoolerTests.prepare(database, route: .transactionPooler) })
        defer {
            pooler.stop()
            try? database.cluster.stop()
        }
        let configPath = try TestFiles.path("ondo-serve-listen", suffix: ".json")
        var pipeline = PipelineHarness.fastPipeline
        pipeline["pollIntervalSeconds"] = 60
        try JSONSerialization.data(withJSONObject: ["pipeline": pipeline]).write(to: URL(fileURLWithPath: configPath))
        var environment = ["ONDO_CONFIG": configPath, "ONDO_SENTIMENT_MODEL": PipelineHarness.modelPath]
        if listensDirectly { environment["ONDO_DATABASE_LISTEN_URL"] = database.url }
        let server = try OndoProcess.start(
            ["serve", "--http-port", "0", "--log-level", "notice", "--database-url", pooler.connectionString],
            environment: environment)
        // Ready once every worker has made its first claim: their idle waits start there.
        try await Self.waitUntilReady(server)
        let ready = Date()

        // The first review after the workers idled long; with the listener direct, 7 more, each after 1.5 s idle.
        let reviews = listensDirectly ? 8 : 1
        let latencies = try await runBlocking {
            let shop = try database.connect()
            defer { shop.close() }
            var latencies: [Double] = []
            for id in 1...Int64(reviews) {
                let idle = id == 1 ? Self.idleBeforeFirstReview - Date().timeIntervalSince(ready) : 1.5
                Thread.sleep(forTimeInterval: max(idle, 0))
                // Without notifications, only as long as it takes to see the bound passed.
                let patience = listensDirectly ? 20 : Self.bound + 2
                latencies.append(try ReviewPickup.insertAndWait(id: id, on: shop, patience: patience))
            }
            return latencies
        }
        let outcome = try await server.stop()
        let check = try database.connect()
        defer { check.close() }
        let sentimentRows = try check.queryValue(Int.self, "SELECT count(*) FROM crm.review_sentiment")
        let rest = latencies.dropFirst().sorted()
        print(
            String(
                format: "ondo tests: serve via transactionPooler, listen URL %@: first review (%.0f s idle) %@ %.3f s; "
                    + "%@%d sentiment rows, exit %d",
                listensDirectly ? "direct" : "unset", Self.idleBeforeFirstReview,
                latencies[0] < Self.bound ? "picked up after" : "not picked up within", latencies[0],
                rest.isEmpty
                    ? ""
                    : String(
                        format: "then median %.3f s, max %.3f s (%d reviews after 1.5 s idle); ",
                        rest[rest.count / 2], rest.last ?? 0, rest.count),
                sentimentRows, outcome.status))
        print("ondo tests: serve listen \(listensDirectly): latencies \(latencies.map { String(format: "%.3f", $0) })")

        #expect(outcome.status == 0, "\(outcome.standardError.suffix(2000))")
        let listenerWarning = "listening for notifications through a connection pooler"
        #expect(outcome.standardError.contains(listenerWarning) == !listensDirectly, "\(outcome.standardError)")
        if listensDirectly {
            #expect(latencies[0] < Self.bound, "a NOTIFY woke the idle workers: latencies \(latencies)")
            #expect(rest[rest.count / 2] < 0.3, "a NOTIFY woke the workers: latencies \(latencies)")
            #expect(sentimentRows == reviews, "one sentiment row per review")
        } else {
            #expect(latencies[0] >= Self.bound, "no NOTIFY passes the pooler: latencies \(latencies)")
        }
    }

    /// A listen URL in another database (of the same cluster, or of another cluster with a database of the same
    /// name) would never hear the queue's NOTIFY: `ondo serve` refuses to start, naming the setting. The logins are
    /// an unprivileged member of `ondo_app`, as in production: the cluster is told by `pg_control_system()`.
    @Test func aListenURLToAnotherDatabaseIsRefused() async throws {
        let database = try await runBlocking { try PrivateCluster.start(prefix: "ondo-serve-listen", port: 5437) }
        let other = try await runBlocking { try PrivateCluster.start(prefix: "ondo-serve-listen-other", port: 5437) }
        defer {
            try? database.cluster.stop()
            try? other.cluster.stop()
        }
        for cluster in [database, other] {
            let admin = try cluster.connect()
            defer { admin.close() }
            try admin.execute("CREATE ROLE listen_test_app LOGIN IN ROLE ondo_app")
            try admin.execute("GRANT CONNECT ON DATABASE postgres TO listen_test_app")
        }
        let application = database.cluster.connectionString(database: "ondo", user: "listen_test_app")
        for (listen, expected) in [
            (
                database.cluster.connectionString(database: "postgres", user: "listen_test_app"),
                "it reaches the database postgres, the application's is ondo"
            ),
            (
                other.cluster.connectionString(database: "ondo", user: "listen_test_app"),
                "it reaches another PostgreSQL cluster (system identifier"
            ),
        ] {
            let server = try OndoProcess.start(
                ["serve", "--http-port", "0", "--database-url", application],
                environment: ["ONDO_DATABASE_LISTEN_URL": listen, "ONDO_SENTIMENT_MODEL": PipelineHarness.modelPath])
            let outcome: OndoExecutable.Outcome
            do { outcome = try await server.waitForExit(seconds: 30) } catch {
                server.signal(SIGKILL)
                Issue.record(
                    "ondo serve with a listen URL to another database still ran after 30 s: \(server.output())")
                return
            }
            #expect(outcome.status == 1, "\(outcome.standardError)")
            for part in [
                "ondo serve: database.listenUrl (ONDO_DATABASE_LISTEN_URL) must reach the application's database, but",
                expected, "the queue's notifications would never arrive",
            ] {
                #expect(outcome.standardError.contains(part), "\(part): \(outcome.standardError)")
            }
        }
        // The same database by another route (here the same socket) is accepted: the server starts and stops with 0.
        let server = try OndoProcess.start(
            ["serve", "--http-port", "0", "--database-url", application],
            environment: ["ONDO_DATABASE_LISTEN_URL": database.url, "ONDO_SENTIMENT_MODEL": PipelineHarness.modelPath])
        try await Self.waitUntilReady(server)
        let outcome = try await server.stop()
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect(!outcome.standardError.contains("listenUrl"), "\(outcome.standardError)")
    }

    /// Waits until `/readyz` of `server` answers ready (the model loaded, the database checked, every worker's first
    /// claim made).
    private static func waitUntilReady(_ server: OndoProcess) async throws {
        let port = try await PipelineHarness.httpPort(of: server, timeout: 60)
        let deadline = Date().addingTimeInterval(60)
        while (try? await Curl.get("http://127.0.0.1:\(port)/readyz")) != "ready\n" {
            guard Date() < deadline, server.isRunning else {
                _ = try? await server.stop()
                throw HarnessError("ondo serve never became ready: \(server.output().standardError.suffix(3000))")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}
