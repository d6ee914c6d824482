import CRMStore
import EmbeddedPostgres
import Foundation
import Postgres
import TestSupport
import Testing

/// `ondo serve` with its `--database-url` pointing at a PgBouncer, the shop writing reviews directly to PostgreSQL:
/// every review must be scored once, its customer must get a state with sensible times, and the time from a review's
/// commit to its sentiment row (the pickup latency) shows whether the queue's NOTIFY still wakes the workers.
///
/// The database's own defaults are hostile (`DateStyle` SQL/DMY, a time zone 9 hours off UTC, `IntervalStyle`
/// postgres_verbose, `bytea_output` escape): a direct connection overrides them with its `options`; PgBouncer 1.18
/// refuses `options`, so only what the pooler itself sets (DateStyle, TimeZone on its database entry) and the
/// database's settings reach the server. The pooled routes that must work set IntervalStyle and bytea_output on the
/// database, as the README says to.
@Suite(.enabled(if: TransactionPooler.isInstalled, "needs PgBouncer (/usr/sbin/pgbouncer)"), .serialized)
struct ServeThroughPoolerTests {
    enum Route: String, CustomStringConvertible, CaseIterable, Sendable {
        /// Directly to PostgreSQL (the baseline).
        case direct
        /// PgBouncer `pool_mode = session`, its database entry setting `datestyle` and `timezone`, with more server
        /// connections than `ondo serve` opens (its pool, its listener).
        case sessionPooler
        /// PgBouncer `pool_mode = transaction`, its database entry setting `datestyle` and `timezone`.
        case transactionPooler
        /// PgBouncer `pool_mode = transaction` with no settings on its database entry, the database's hostile
        /// defaults all left: ``servingThroughAPoolerThatDropsTheSettingsIsRefused()``.
        case bareTransactionPooler

        var description: String { rawValue }
    }

    @Test(arguments: [Route.direct, .sessionPooler, .transactionPooler])
    func everyReviewIsScoredOnceAndItsCustomerGetsAState(route: Route) async throws {
        let database = try await runBlocking { try PrivateCluster.start(prefix: "ondo-serve-pooled", port: 5437) }
        let direct = database.url
        let pooler = try await runBlocking { try Self.prepare(database, route: route) }
        defer {
            pooler?.stop()
            try? database.cluster.stop()
        }
        let configPath = try TestFiles.path("ondo-serve-pooled", suffix: ".json")
        var pipeline = PipelineHarness.fastPipeline
        pipeline["pollIntervalSeconds"] = 1  // the default: how long an idle worker waits without a NOTIFY
        try JSONSerialization.data(withJSONObject: ["pipeline": pipeline]).write(to: URL(fileURLWithPath: configPath))
        let url = pooler?.connectionString ?? direct
        let server = try OndoProcess.start(
            ["serve", "--http-port", "0", "--log-level", "notice", "--database-url", url],
            environment: ["ONDO_CONFIG": configPath, "ONDO_SENTIMENT_MODEL": PipelineHarness.modelPath])

        // One review at a time, each after the workers have idled for 1.5 s (their wait has grown to the poll
        // interval), timing its commit to its sentiment row.
        let reviews = 8
        let latencies = try await runBlocking {
            let shop = try database.connect()
            defer { shop.close() }
            var latencies: [Double] = []
            for id in 1...Int64(reviews) {
                Thread.sleep(forTimeInterval: 1.5)
                latencies.append(try ReviewPickup.insertAndWait(id: id, on: shop, patience: 20))
            }
            return latencies
        }
        // The customers' states follow their reviews through the customer queue.
        let check = try database.connect()
        defer { check.close() }
        var stated = 0
        for _ in 0..<200 {
            stated = try check.queryValue(
                Int.self, "SELECT count(*) FROM crm.customer_state WHERE customer_id BETWEEN 1 AND \(reviews)")
            if stated >= reviews { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        let outcome = try await server.stop()
        let sentimentRows = try check.queryValue(Int.self, "SELECT count(*) FROM crm.review_sentiment")
        let scoredReviews = try check.queryValue(Int.self, "SELECT count(DISTINCT review_id) FROM crm.review_sentiment")
        let quarantined = try check.queryValue(Int.self, "SELECT count(*) FROM crm.review_quarantine")
        // A state written from times decoded in the wrong zone or style is hours off the database's clock.
        let statesOffTheClock = try check.queryValue(
            Int.self,
            """
            SELECT count(*) FROM crm.customer_state
            WHERE abs(extract(epoch FROM updated_at - now())) > 120 OR recheck_at < updated_at
            """)
        let sorted = latencies.sorted()
        print(
            String(
                format: "ondo tests: serve via %@: pickup latency median %.3f s, max %.3f s (%d reviews); %d sentiment "
                    + "rows, %d states, %d quarantined, exit %d",
                route.rawValue, sorted[sorted.count / 2], sorted.last ?? 0, reviews, sentimentRows, stated,
                quarantined, outcome.status))
        let warnings = outcome.standardError.split(separator: "\n").filter {
            $0.contains("pooler") || $0.contains("error")
        }
        print("ondo tests: serve via \(route): latencies \(latencies.map { String(format: "%.3f", $0) })")
        print("ondo tests: serve via \(route) logged:\n" + warnings.prefix(20).joined(separator: "\n"))

        #expect(outcome.status == 0, "\(outcome.standardError.suffix(2000))")
        #expect(sentimentRows == reviews, "one sentiment row per review")
        #expect(scoredReviews == reviews)
        #expect(quarantined == 0)
        #expect(stated == reviews, "each reviewing customer has a state")
        #expect(statesOffTheClock == 0)
        // Medians and generous bounds: under the full suite's load one pickup directly took 1.95 s (median 0.06 s).
        if route == .transactionPooler {
            // No NOTIFY passes a transaction pooler: an idle worker finds the review within its poll interval.
            #expect(sorted.last ?? 99 < 3, "picked up by polling: latencies \(latencies)")
        } else {
            #expect(sorted[sorted.count / 2] < 0.3, "a NOTIFY woke the workers: latencies \(latencies)")
        }
        // Ondo cannot tell a session pooler from a transaction pooler: it warns behind either.
        let listenerWarning = "listening for notifications through a connection pooler"
        #expect(outcome.standardError.contains(listenerWarning) == (route != .direct))
        // The warning names the setting that sends the listener straight to PostgreSQL.
        #expect(outcome.standardError.contains("database.listenUrl (ONDO_DATABASE_LISTEN_URL)") == (route != .direct))
        #expect(outcome.standardError.contains("did not pass on statement_timeout") == (route != .direct))
    }

    /// Through a transaction pooler that passes none of the settings Ondo's decoders need, `ondo serve` refused
    /// nothing and every batch failed to decode its times ("not an ISO timestamp"), until the queue discarded the
    /// work after its last attempt. Now it refuses at start, naming the settings and where to set them.
    @Test func servingThroughAPoolerThatDropsTheSettingsIsRefused() async throws {
        let database = try await runBlocking { try PrivateCluster.start(prefix: "ondo-serve-pooled", port: 5437) }
        let pooler = try await runBlocking { try Self.prepare(database, route: .bareTransactionPooler) }
        defer {
            pooler?.stop()
            try? database.cluster.stop()
        }
        let server = try OndoProcess.start(
            ["serve", "--http-port", "0", "--database-url", try #require(pooler).connectionString],
            environment: ["ONDO_SENTIMENT_MODEL": PipelineHarness.modelPath])
        let outcome: OndoExecutable.Outcome
        do { outcome = try await server.waitForExit(seconds: 30) } catch {
            server.signal(SIGKILL)
            Issue.record("ondo serve through a pooler that drops its settings still ran after 30 s: \(server.output())")
            return
        }
        #expect(outcome.status == 1, "\(outcome.standardError)")
        for expected in [
            "connected through a connection pooler that did not pass on the session settings",
            "DateStyle is SQL, DMY (Ondo needs ISO, YMD)", "TimeZone is Asia/Seoul (Ondo needs UTC)",
            "IntervalStyle is postgres_verbose", "bytea_output is escape", "ALTER DATABASE",
            "datestyle=ISO,YMD timezone=UTC",
        ] {
            #expect(outcome.standardError.contains(expected), "\(expected): \(outcome.standardError)")
        }
        #expect(!outcome.standardOutput.contains("listening on port"), "refused before the HTTP endpoint listened")
    }

    /// Two clients of a transaction pooler with one server connection, each running a statement it asks to have
    /// prepared: their named statements met on the shared server connection ("ondo_statement_1 already exists").
    /// Through a pooler such statements run unnamed, and each client gets its own rows.
    @Test func preparedStatementsOfTwoClientsDoNotMeetBehindATransactionPooler() async throws {
        let database = try await runBlocking { try PrivateCluster.start(prefix: "ondo-pooled-prepared", port: 5437) }
        let cluster = database.cluster
        // Started off the cooperative threads: it waits (blocking) for PgBouncer's socket.
        let pooler = try await runBlocking {
            try TransactionPooler.start(
                database: "ondo", serverSocketDirectory: cluster.socketDirectory, serverPort: cluster.port,
                users: [cluster.superuser], poolSize: 1)
        }
        defer {
            pooler.stop()
            try? cluster.stop()
        }
        let answers = try await runBlocking {
            let configuration = PostgresConfiguration(connectionString: pooler.connectionString)
            let first = try PostgresConnection(configuration: configuration, logger: TestPostgres.logger)
            let second = try PostgresConnection(configuration: configuration, logger: TestPostgres.logger)
            defer {
                first.close()
                second.close()
            }
            var answers: [String] = []
            for round in 1...3 {
                answers.append(try first.queryValue(String.self, "SELECT 'first ' || \(round)::text", prepared: true))
                answers.append(try second.queryValue(Int.self, "SELECT 100 + \(round)", prepared: true).description)
            }
            return (answers, first.isPooled, second.isPooled)
        }
        #expect(answers.0 == ["first 1", "101", "first 2", "102", "first 3", "103"])
        #expect(answers.1 && answers.2, "both connections know they are pooled")
    }

    /// Makes the database's defaults hostile, adds the shop's customers and product, and starts the route's PgBouncer
    /// (also for ``ServeListenURLTests``).
    static func prepare(_ database: PrivateCluster, route: Route) throws -> TransactionPooler? {
        let setup = try database.connect()
        defer { setup.close() }
        try setup.execute(
            """
            INSERT INTO shop.customers (id, name, created_at) SELECT id, 'c' || id, now() - interval '100 days'
            FROM generate_series(1, 20) AS id
            """)
        try setup.execute("INSERT INTO shop.products (id, name) VALUES (1, 'p')")
        let hostileEverywhere = route == .direct || route == .bareTransactionPooler
        for setting in [
            "DateStyle = 'SQL, DMY'", "TimeZone = 'Asia/Seoul'",
            hostileEverywhere ? "IntervalStyle = 'postgres_verbose'" : "IntervalStyle = 'iso_8601'",
            hostileEverywhere ? "bytea_output = 'escape'" : "bytea_output = 'hex'",
        ] {
            try setup.execute(PostgresQuery(unsafeSQL: "ALTER DATABASE ondo SET \(setting)"))
        }
        let cluster = database.cluster
        switch route {
        case .direct:
            return nil
        case .sessionPooler, .transactionPooler, .bareTransactionPooler:
            return try TransactionPooler.start(
                database: "ondo", serverSocketDirectory: cluster.socketDirectory, serverPort: cluster.port,
                users: [cluster.superuser], poolSize: route == .sessionPooler ? 20 : 4,
                serverSettings: route == .bareTransactionPooler ? "" : "datestyle=ISO,YMD timezone=UTC",
                poolMode: route == .sessionPooler ? "session" : "transaction")
        }
    }
}
