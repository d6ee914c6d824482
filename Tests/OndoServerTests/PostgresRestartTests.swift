import CRMStore
import EmbeddedPostgres
import Foundation
import Postgres
import TestSupport
import Testing

extension PipelineTests {
    /// F4: PostgreSQL restarted (immediate mode) under load, on a private cluster so no other test notices.
    @Suite struct PostgresRestart {
        @Test func serversReconnectByThemselvesAfterAnImmediateRestart() async throws {
            var database = try PrivateCluster.start(prefix: "ondo-restart", port: 5433)
            let url = database.url
            let ondo = try database.connect()
            try ondo.execute(
                """
                INSERT INTO shop.customers (id, name, created_at) SELECT id, 'c' || id, now() - interval '100 days'
                FROM generate_series(1, 20) AS id
                """)
            try ondo.execute("INSERT INTO shop.products (id, name) VALUES (1, 'p')")
            ondo.close()

            let configPath = try TestFiles.path("ondo-restart", suffix: ".json")
            try JSONSerialization.data(withJSONObject: ["pipeline": PipelineHarness.fastPipeline])
                .write(to: URL(fileURLWithPath: configPath))
            let environment = [
                "ONDO_DATABASE_URL": url, "ONDO_CONFIG": configPath, "ONDO_SENTIMENT_MODEL": PipelineHarness.modelPath,
            ]
            let servers = try (0..<2).map { _ in
                try OndoProcess.start(["serve", "--http-port", "0", "--log-level", "info"], environment: environment)
            }

            // The shop keeps inserting, reconnecting while the server is down; an insert whose commit it never
            // saw acknowledged may or may not have landed, so ids resume after the highest committed one.
            async let loading: Void = onThread { insertReviewsForEightSeconds(url: url) }
            try await Task.sleep(for: .seconds(3))
            let pid = try #require(database.cluster.postmasterPID)
            kill(pid, SIGQUIT)  // pg_ctl stop -m immediate
            while kill(pid, 0) == 0 { try await Task.sleep(for: .milliseconds(20)) }
            let restartedAt = Date()
            try database.restart()
            try await loading

            let check = try database.connect()
            defer { check.close() }
            let deadline = Date().addingTimeInterval(60)
            var unfinished = Int.max
            while Date() < deadline {
                unfinished = try check.queryValue(
                    Int.self,
                    """
                    SELECT count(*) FROM shop.reviews AS r LEFT JOIN crm.review_work AS w ON w.review_id = r.id
                    WHERE w.status IS DISTINCT FROM 'completed'
                    """)
                if unfinished == 0 { break }
                try await Task.sleep(for: .milliseconds(200))
            }
            let caughtUp = Date().timeIntervalSince(restartedAt)
            let reviews = try check.queryValue(Int.self, "SELECT count(*) FROM shop.reviews")
            let sentiment = try check.queryValue(Int.self, "SELECT count(*) FROM crm.review_sentiment")
            let distinct = try check.queryValue(Int.self, "SELECT count(DISTINCT review_id) FROM crm.review_sentiment")
            print(
                String(
                    format:
                        "F4 restart: %d reviews committed, all processed %.1f s after the restart; %d sentiment rows",
                    reviews, caughtUp, sentiment))
            #expect(unfinished == 0)
            #expect(reviews > 100)
            #expect(sentiment == reviews)
            #expect(distinct == reviews)
            #expect(caughtUp < 60)
            for server in servers {
                #expect(server.isRunning, "the server survived the restart")
                server.signal(SIGTERM)
            }
            for server in servers { #expect(try await server.waitForExit().status == 0) }
            try database.cluster.stop()
        }
    }
}

/// Inserts reviews for eight seconds, reconnecting while the server is down. An insert whose commit was never
/// acknowledged may or may not have landed, so ids resume after the highest committed one.
private func insertReviewsForEightSeconds(url: String) {
    var id: Int64 = 1
    let end = Date().addingTimeInterval(8)
    while Date() < end {
        do {
            let connection = try PostgresConnection(
                configuration: PostgresConfiguration(connectionString: url), logger: TestPostgres.logger)
            defer { connection.close() }
            id = try connection.queryValue(Int64.self, "SELECT coalesce(max(id), 0) + 1 FROM shop.reviews")
            while Date() < end {
                let sample = SampleReviews.all[Int(id) % SampleReviews.all.count]
                try connection.execute(
                    """
                    INSERT INTO shop.reviews (id, customer_id, product_id, rating, body)
                    VALUES (\(id), \(1 + id % 20), 1, \(sample.rating), \(sample.body))
                    """)
                id += 1
                Thread.sleep(forTimeInterval: 0.02)
            }
        } catch {
            Thread.sleep(forTimeInterval: 0.2)
        }
    }
}

/// Runs blocking work on a thread of its own and awaits it.
func onThread<Result: Sendable>(_ work: @escaping @Sendable () throws -> Result) async throws -> Result {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Swift.Result { try work() }) }.start()
    }
}
