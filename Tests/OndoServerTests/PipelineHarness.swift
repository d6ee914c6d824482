import Foundation
import Postgres
import TestSupport
import Testing

/// A test database with fast pipeline settings, and `ondo serve` processes on it.
struct PipelineHarness: Sendable {
    let db: TestDatabase
    let configPath: String

    /// The shipped model, found from this file's place in the repository.
    static let modelPath = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("models/ondo-sentiment-ko.model").path

    /// Settings that make faults show up within seconds instead of minutes.
    static let fastPipeline: [String: any Sendable] = [
        "leaseSeconds": 3, "pollIntervalSeconds": 0.2, "sweepIntervalSeconds": 0.5, "schedulerIntervalSeconds": 0.5,
        "metricsSampleSeconds": 0.5, "batchSize": 16, "unknownReferenceAttempts": 2,
        "retry": ["maximumAttempts": 3, "initialDelaySeconds": 0.2, "maximumDelaySeconds": 1] as [String: any Sendable],
    ]

    /// A fresh database and a configuration file with `pipeline` (merged over ``fastPipeline``) and `states`.
    static func make(
        _ name: String, pipeline: [String: any Sendable] = [:], states: [String: any Sendable] = [:]
    ) async throws -> PipelineHarness {
        let db = try await TestPostgres.shared.freshDatabase(name)
        var pipelineSection = fastPipeline
        pipelineSection.merge(pipeline) { $1 }
        var document: [String: Any] = ["pipeline": pipelineSection]
        if !states.isEmpty { document["states"] = states }
        let path = try TestFiles.path("ondo-test-config", suffix: ".json")  // deleted when the test process exits
        try JSONSerialization.data(withJSONObject: document).write(to: URL(fileURLWithPath: path))
        return PipelineHarness(db: db, configPath: path)
    }

    /// Runs `body` with migration 0014's checks on the shop's tables (no NaN money, no implausible times) lifted,
    /// as if its rows had been written before that migration: they stay, unvalidated, when the checks return.
    func writingAsBeforeMigration0014(_ body: () async throws -> Void) async throws {
        let lifted = try await db.withConnection { admin in
            let rows = try admin.query(
                """
                SELECT conrelid::regclass::text AS tab, conname, pg_get_constraintdef(oid) AS def FROM pg_constraint
                WHERE conname LIKE '%\\_plausible' OR conname LIKE '%\\_is\\_number'
                """)
            let constraints = try rows.map {
                (
                    table: try $0.decode(String.self, "tab"), name: try $0.decode(String.self, "conname"),
                    definition: try $0.decode(String.self, "def")
                )
            }
            for constraint in constraints {
                try admin.execute(
                    PostgresQuery(unsafeSQL: "ALTER TABLE \(constraint.table) DROP CONSTRAINT \(constraint.name)"))
            }
            return constraints
        }
        #expect(lifted.count == 7, "migration 0014's seven checks")
        try await body()
        try await db.withConnection { admin in
            for constraint in lifted {
                try admin.execute(
                    PostgresQuery(
                        unsafeSQL:
                            "ALTER TABLE \(constraint.table) ADD CONSTRAINT \(constraint.name) \(constraint.definition)"
                    ))
            }
        }
    }

    /// Customers `ids`, each with an order 10 days ago, except `unreadable`, whose only order Ondo cannot read.
    func addCustomers(_ ids: ClosedRange<Int64>, withOrdersAndOneUnreadable unreadable: Int64) async throws {
        try await addCustomers(ids)
        for customer in ids where customer != unreadable {
            try await addOrder(id: customer, customer: customer, daysAgo: 10)
        }
        try await addUnreadableOrder(id: unreadable, customer: unreadable)
    }

    /// An order Ondo cannot read, dated before year 1 (as written before migration 0014 refused such dates).
    func addUnreadableOrder(id: Int64, customer: Int64) async throws {
        try await writingAsBeforeMigration0014 {
            try await db.withConnection(as: .shop) { connection in
                _ = try connection.execute(
                    """
                    INSERT INTO shop.orders (id, customer_id, ordered_at, total, status)
                    VALUES (\(id), \(customer), '0044-03-15 00:00:00+00 BC', 39000, 'delivered')
                    """)
            }
        }
    }

    /// Starts `ondo serve` as the app role on a free HTTP port; `failPoints` as in `ONDO_FAILPOINTS`.
    func startServer(
        failPoints: String? = nil, workers: Int = 2, logLevel: String = "info", environment: [String: String] = [:]
    ) throws -> OndoProcess {
        var env = db.environment(as: .app)
        env["ONDO_CONFIG"] = configPath
        env["ONDO_SENTIMENT_MODEL"] = Self.modelPath
        if let failPoints { env["ONDO_FAILPOINTS"] = failPoints }
        env.merge(environment) { $1 }
        return try OndoProcess.start(
            ["serve", "--http-port", "0", "--workers", "\(workers)", "--log-level", logLevel], environment: env)
    }

    /// The HTTP port a server reported on stdout.
    func httpPort(of server: OndoProcess, timeout: Double = 30) async throws -> Int {
        try await Self.httpPort(of: server, timeout: timeout)
    }

    /// The HTTP port a server (of this harness or not) reported on stdout.
    static func httpPort(of server: OndoProcess, timeout: Double = 30) async throws -> Int {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let output = server.output().standardOutput
            if let line = output.split(separator: "\n").first(where: { $0.hasPrefix("ondo serve: listening on port ") }
            ),
                let port = Int(line.split(separator: " ").last ?? "")
            {
                return port
            }
            if !server.isRunning { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw HarnessError("ondo serve did not report its port; stderr:\n\(server.output().standardError)")
    }

    /// Polls `condition` on an admin connection until it holds; fails with `description` after `timeout`.
    func waitUntil(
        _ description: String, timeout: Double = 60,
        _ condition: @escaping @Sendable (PostgresConnection) throws -> Bool
    ) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try await db.withConnection(condition) { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw HarnessError("timed out after \(timeout) s waiting until \(description)")
    }

    /// Waits until customer `id`'s stored state is `state`.
    func waitUntil(customer id: Int64, isIn state: String, timeout: Double = 60) async throws {
        try await waitUntil("customer \(id) is \(state)", timeout: timeout) { connection in
            try Self.state(of: id, on: connection) == state
        }
    }

    /// Customer `id`'s stored state, or nil before its first recomputation.
    static func state(of id: Int64, on connection: PostgresConnection) throws -> String? {
        try connection.query("SELECT state FROM crm.customer_state WHERE customer_id = \(id)").first?.decode(
            String.self, "state")
    }

    /// Waits until every review in `shop.reviews` has a completed work row.
    func waitForAllReviewsProcessed(timeout: Double = 90) async throws {
        try await waitUntil("every review is processed", timeout: timeout) { connection in
            try connection.queryValue(
                Int.self,
                """
                SELECT count(*) FROM shop.reviews AS r
                LEFT JOIN crm.review_work AS w ON w.review_id = r.id
                WHERE w.status IS DISTINCT FROM 'completed' AND w.status IS DISTINCT FROM 'discarded'
                """) == 0
        }
    }

    // MARK: Shop data, written as the shop role

    /// Inserts customers (signed up `signedUpDaysAgo` days ago) and one product per id in `products`.
    func addCustomers(_ ids: ClosedRange<Int64>, signedUpDaysAgo: Double = 200, products: ClosedRange<Int64> = 1...5)
        async throws
    {
        try await db.withConnection(as: .shop) { connection in
            try connection.execute(
                """
                INSERT INTO shop.customers (id, name, email, marketing_consent, created_at)
                SELECT id, '고객 ' || id, 'c' || id || '@example.com', true, now() - make_interval(secs => \(signedUpDaysAgo * 86_400))
                FROM generate_series(\(ids.lowerBound), \(ids.upperBound)) AS id
                ON CONFLICT (id) DO NOTHING
                """)
            try connection.execute(
                """
                INSERT INTO shop.products (id, sku, name, category, price)
                SELECT id, 'SKU-' || id, '상품 ' || id, '의류', 29000 FROM generate_series(\(products.lowerBound), \(products.upperBound)) AS id
                ON CONFLICT (id) DO NOTHING
                """)
        }
    }

    /// Inserts an order placed `daysAgo` days ago.
    func addOrder(id: Int64, customer: Int64, daysAgo: Double, total: Double = 39_000) async throws {
        try await db.withConnection(as: .shop) { connection in
            try connection.execute(
                """
                INSERT INTO shop.orders (id, customer_id, ordered_at, total, status)
                VALUES (\(id), \(customer), now() - make_interval(secs => \(daysAgo * 86_400)), \(total), 'delivered')
                """)
        }
    }

    /// Inserts one review.
    func addReview(id: Int64, customer: Int64, product: Int64 = 1, rating: Int?, body: String) async throws {
        try await db.withConnection(as: .shop) { connection in
            try connection.execute(
                """
                INSERT INTO shop.reviews (id, customer_id, product_id, rating, body)
                VALUES (\(id), \(customer), \(product), \(rating), \(body))
                """)
        }
    }

    /// Inserts `count` reviews with ids from `firstId`, spread over `customers`, in transactions of `perTransaction`.
    func addReviews(firstId: Int64, count: Int, customers: ClosedRange<Int64>, perTransaction: Int = 50) async throws {
        var id = firstId
        var remaining = count
        while remaining > 0 {
            let chunk = min(perTransaction, remaining)
            let start = id
            try await db.withConnection(as: .shop) { connection in
                try connection.withTransaction { connection in
                    for offset in 0..<chunk {
                        let reviewId = start + Int64(offset)
                        let sample = SampleReviews.all[Int(reviewId) % SampleReviews.all.count]
                        let customer = customers.lowerBound + reviewId % Int64(customers.count)
                        try connection.execute(
                            """
                            INSERT INTO shop.reviews (id, customer_id, product_id, rating, body)
                            VALUES (\(reviewId), \(customer), \(1 + reviewId % 5), \(sample.rating), \(sample.body))
                            """)
                    }
                }
            }
            id += Int64(chunk)
            remaining -= chunk
        }
    }

    // MARK: Invariants

    /// Counts that prove "no loss, no duplicate" (RELIABILITY.md).
    func invariants() async throws -> Invariants {
        try await db.withConnection { connection in
            let row = try connection.query(
                """
                SELECT
                  (SELECT count(*) FROM shop.reviews) AS reviews,
                  (SELECT count(*) FROM crm.review_work WHERE status = 'completed') AS completed,
                  (SELECT count(*) FROM crm.review_work WHERE status = 'discarded') AS discarded,
                  (SELECT count(*) FROM shop.reviews AS r WHERE NOT EXISTS (
                       SELECT 1 FROM crm.review_work AS w WHERE w.review_id = r.id)) AS without_work,
                  (SELECT count(*) FROM crm.review_sentiment) AS sentiment_rows,
                  (SELECT count(DISTINCT review_id) FROM crm.review_sentiment) AS scored_reviews,
                  (SELECT count(*) FROM crm.review_quarantine) AS quarantined,
                  (SELECT count(*) FROM crm.review_work AS w WHERE w.status = 'completed'
                       AND (SELECT count(*) FROM crm.review_sentiment AS s WHERE s.review_id = w.review_id)
                         + (SELECT count(*) FROM crm.review_quarantine AS q WHERE q.review_id = w.review_id) <> 1)
                       AS completed_without_exactly_one_effect,
                  (SELECT count(*) FROM (
                       SELECT from_state, to_state,
                              lag(to_state) OVER (PARTITION BY customer_id ORDER BY id) AS previous
                       FROM crm.customer_state_history) AS h
                   WHERE from_state IS NOT DISTINCT FROM to_state OR from_state IS DISTINCT FROM previous)
                       AS broken_history,
                  (SELECT count(*) FROM crm.customer_state AS s WHERE s.state IS DISTINCT FROM (
                       SELECT h.to_state FROM crm.customer_state_history AS h
                       WHERE h.customer_id = s.customer_id ORDER BY h.id DESC LIMIT 1)) AS state_not_last_history,
                  (SELECT coalesce(max(attempts), 0) FROM crm.review_work) AS most_attempts,
                  (SELECT count(*) FROM crm.review_work WHERE attempts > 1) AS retried
                """)[0]
            return Invariants(
                reviews: try row.decode(Int.self, "reviews"), completed: try row.decode(Int.self, "completed"),
                discarded: try row.decode(Int.self, "discarded"), withoutWork: try row.decode(Int.self, "without_work"),
                sentimentRows: try row.decode(Int.self, "sentiment_rows"),
                scoredReviews: try row.decode(Int.self, "scored_reviews"),
                quarantined: try row.decode(Int.self, "quarantined"),
                completedWithoutExactlyOneEffect: try row.decode(Int.self, "completed_without_exactly_one_effect"),
                brokenHistory: try row.decode(Int.self, "broken_history"),
                stateNotLastHistory: try row.decode(Int.self, "state_not_last_history"),
                mostAttempts: try row.decode(Int.self, "most_attempts"), retried: try row.decode(Int.self, "retried"))
        }
    }
}

/// The counts behind "no loss, no duplicate".
struct Invariants: Sendable, CustomStringConvertible {
    var reviews: Int
    var completed: Int
    var discarded: Int
    var withoutWork: Int
    var sentimentRows: Int
    var scoredReviews: Int
    var quarantined: Int
    var completedWithoutExactlyOneEffect: Int
    var brokenHistory: Int
    var stateNotLastHistory: Int
    var mostAttempts: Int
    var retried: Int

    /// Checks every review was processed exactly once in effect and the history is consistent.
    func expectNoLossNoDuplicate(discardedAllowed: Int = 0, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(withoutWork == 0, "reviews without a work row", sourceLocation: sourceLocation)
        #expect(
            completed + discarded == reviews, "every review completed (or discarded)", sourceLocation: sourceLocation)
        #expect(discarded == discardedAllowed, "discarded reviews", sourceLocation: sourceLocation)
        #expect(
            completedWithoutExactlyOneEffect == 0, "completed reviews with other than one effect row",
            sourceLocation: sourceLocation)
        #expect(
            sentimentRows == scoredReviews, "one sentiment row per review and model", sourceLocation: sourceLocation)
        #expect(brokenHistory == 0, "history rows that are not real transitions", sourceLocation: sourceLocation)
        #expect(
            stateNotLastHistory == 0, "states that differ from their last history row", sourceLocation: sourceLocation)
    }

    var description: String {
        "reviews \(reviews), completed \(completed), discarded \(discarded), sentiment rows \(sentimentRows), "
            + "quarantined \(quarantined), retried \(retried), most attempts \(mostAttempts), "
            + "broken history \(brokenHistory)"
    }
}

struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Hand-written Korean reviews with obvious polarity (not from any dataset).
enum SampleReviews {
    struct Sample: Sendable {
        var rating: Int
        var body: String
    }

    static let all: [Sample] = [
        Sample(rating: 5, body: "재구매 의사 있어요 최고"),
        Sample(rating: 1, body: "배송이 너무 늦고 포장도 엉망이에요"),
        Sample(rating: 5, body: "사이즈도 딱 맞고 색상도 사진이랑 똑같아요 만족합니다"),
        Sample(rating: 4, body: "가격 대비 품질 좋네요 잘 쓰겠습니다"),
        Sample(rating: 2, body: "재질이 너무 얇고 마감이 별로예요 실망"),
        Sample(rating: 5, body: "배송 빠르고 친절해요 감사합니다 ㅎㅎ"),
        Sample(rating: 1, body: "불량품이 왔는데 교환도 안 해주네요 최악"),
        Sample(rating: 5, body: "선물용으로 샀는데 다들 좋아해요 👍"),
        Sample(rating: 3, body: "그냥 그래요 무난합니다"),
        Sample(rating: 5, body: "Good quality, 완전 만족!!"),
    ]
}
