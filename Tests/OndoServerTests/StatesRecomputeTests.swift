import Foundation
import OndoServer
import Postgres
import TestSupport
import Testing

/// `Operations.recomputeStates` (`ondo states recompute`).
@Suite struct StatesRecomputeTests {
    /// When a review has scores from several models, the operator's recompute prefers the configured model's
    /// score, as the server does, rather than the newest one; otherwise the two would keep flipping the
    /// customer's state between them.
    @Test func theRecomputePrefersTheConfiguredModelsScoreAsTheServerDoes() async throws {
        let db = try await TestPostgres.shared.database("StatesRecomputeModel")
        try await db.withConnection(as: .shop) { shop in
            try shop.execute(
                "INSERT INTO shop.customers (id, name, created_at) VALUES (61, '가나다', now() - interval '200 days')")
            try shop.execute(
                "INSERT INTO shop.products (id, sku, name, category, price) VALUES (6, 'SKU-6', '셔츠', 'clothing', 30000)"
            )
            try shop.execute(
                "INSERT INTO shop.orders (customer_id, ordered_at, total, status) VALUES (61, now() - interval '10 days', 30000, 'delivered')"
            )
            try shop.execute(
                "INSERT INTO shop.reviews (id, customer_id, product_id, rating, body, created_at) VALUES (601, 61, 6, NULL, '그냥 그래요', now() - interval '2 days')"
            )
        }
        // The configured (stand-in) model found the review positive; another model, later, strongly negative.
        try await db.withConnection { admin in
            try admin.execute(
                """
                INSERT INTO crm.review_sentiment (review_id, model_version, customer_id, product_id, revision, probability, label, scored_at)
                VALUES (601, 'stand-in-constant', 61, 6, 1, 0.9, 'positive', now() - interval '1 hour'),
                       (601, 'another-model', 61, 6, 1, 0.01, 'negative', now())
                """)
        }
        var configuration = try OndoConfiguration.load(environment: db.environment(as: .app))
        configuration.server.standInModel = true
        let operations = try Operations(configuration: configuration, logger: TestPostgres.logger)
        let report = try await operations.recomputeStates(all: true) { _ in }
        #expect(report.recomputed == 1)
        #expect(report.failed.isEmpty)
        let state = try await db.withConnection { admin in
            try admin.queryValue(String.self, "SELECT state FROM crm.customer_state WHERE customer_id = 61")
        }
        // With the other model's 0.01 the customer would be at risk for a strongly negative recent review.
        #expect(state == "active")
    }

    /// The shop may write id 0 and negative ids. The walk began after id 0, so `ondo states recompute` left those
    /// customers unassessed, said "recomputed 1 customer state" with exit status 0, and its progress stopped at 1/4.
    @Test func customersWithIdZeroAndNegativeIdsAreRecomputed() async throws {
        let db = try await TestPostgres.shared.freshDatabase("StatesRecomputeNegativeIds")
        try await db.withConnection(as: .shop) { shop in
            try shop.execute(
                """
                INSERT INTO shop.customers (id, name, created_at)
                SELECT id, 'c' || id, now() - interval '200 days'
                FROM unnest(ARRAY[-9223372036854775808, -5, 0, 3]::bigint[]) AS id
                """)
        }
        let outcome = try await OndoExecutable.run(["states", "recompute"], environment: db.environment(as: .app))
        #expect(outcome.status == 0, "\(outcome.standardError)")
        // The shop's sign-ups queued the 4 for `ondo serve`; the recompute did that work.
        #expect(
            outcome.standardOutput == "recomputed 4 customer states; completed 4 queued customer recomputes\n",
            "\(outcome.standardOutput)")
        #expect(outcome.standardError.contains("4/4 customers"), "\(outcome.standardError)")
        let assessed = try await db.withConnection { admin in
            try admin.query("SELECT customer_id FROM crm.customer_state ORDER BY 1").map {
                try $0.decode(Int64.self, "customer_id")
            }
        }
        #expect(assessed == [Int64.min, -5, 0, 3])
    }

    /// "recomputed 69014 customer states" was the one figure of the command not grouped as Ondo's others are.
    @Test func theCountIsGrouped() async throws {
        let db = try await TestPostgres.shared.freshDatabase("StatesRecomputeGrouped")
        try await db.withConnection(as: .shop) { shop in
            try shop.execute(
                "INSERT INTO shop.customers (id, name) SELECT g, 'c' || g FROM generate_series(1, 1200) AS g")
        }
        let outcome = try await OndoExecutable.run(
            ["states", "recompute", "--all"], environment: db.environment(as: .app))
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect(
            outcome.standardOutput == "recomputed 1,200 customer states; completed 1,200 queued customer recomputes\n",
            "\(outcome.standardOutput)")
    }

    /// One customer whose data cannot be read (a BC order, written before migration 0014 refused such dates)
    /// fails alone: the others in its chunk are recomputed, and the command names it and exits with status 1.
    @Test func aCustomerThatFailsIsReportedAndTheOthersAreRecomputed() async throws {
        let harness = try await PipelineHarness.make("states_recompute_isolation")
        try await harness.addCustomers(71...73, withOrdersAndOneUnreadable: 72)
        let configuration = try OndoConfiguration.load(environment: harness.db.environment(as: .app))
        let operations = try Operations(configuration: configuration, logger: TestPostgres.logger)
        let report = try await operations.recomputeStates(all: true) { _ in }
        #expect(report.recomputed == 2)
        #expect(report.failed.map(\.customerId) == [72])
        let assessed = try await harness.db.withConnection { admin in
            try admin.query("SELECT customer_id FROM crm.customer_state ORDER BY 1").map {
                try $0.decode(Int64.self, "customer_id")
            }
        }
        #expect(assessed == [71, 73])

        let outcome = try await OndoExecutable.run(
            ["states", "recompute", "--all"], environment: harness.db.environment(as: .app))
        #expect(outcome.status == 1)
        #expect(outcome.standardOutput.contains("recomputed 2 customer states"))
        #expect(outcome.standardError.contains("customer 72: "))
        #expect(!outcome.standardError.contains("\n\n"), "no blank line after each failure: \(outcome.standardError)")
        #expect(
            outcome.standardError.contains("1 customer could not be recomputed (listed above); its state is unchanged"))
        print("states recompute: \(outcome.standardError.split(separator: "\n").suffix(2).joined(separator: " / "))")
    }
}

/// Operator commands give up at once on a database that does not answer: the retries that let a server wait for
/// its database to start would keep an operator at the terminal for a minute.
@Suite struct OperatorCommandsOnAnUnreachableDatabaseTests {
    @Test func statesRecomputeAndRescoreFailWithoutRetrying() async throws {
        let folder = try TestFiles.path("no-server")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        // A socket folder with no server in it: every connection attempt fails at once.
        let environment = [
            "ONDO_DATABASE_URL": "host=\(folder) port=5999 user=ondo dbname=ondo",
            "ONDO_SENTIMENT_MODEL": PipelineHarness.modelPath,
        ]
        for command in [["states", "recompute"], ["reviews", "rescore"]] {
            let outcome = try await OndoExecutable.run(command, environment: environment)
            print(
                "ondo \(command.joined(separator: " ")): exit \(outcome.status); \(outcome.standardError.split(separator: "\n").last ?? "")"
            )
            #expect(outcome.status != 0)
            #expect(!outcome.standardError.contains("retrying"), "\(outcome.standardError)")
        }
    }
}
