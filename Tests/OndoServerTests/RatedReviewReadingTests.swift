import Foundation
import OndoServer
import TestSupport
import Testing

/// `Operations.ratedReviews`: the newest rated reviews, read page by page up to a limit.
@Suite struct RatedReviewReadingTests {
    @Test func readsTheNewestUpToTheLimitAcrossPages() async throws {
        let db = try await TestPostgres.shared.freshDatabase("RatedReviewReading")
        // 30 reviews: every third one is 3 stars (skipped), the others alternate 1 and 5 stars.
        try await db.withConnection(as: .shop) { shop in
            try shop.execute(
                """
                INSERT INTO shop.reviews (id, customer_id, product_id, rating, body)
                SELECT i, i, 1, CASE WHEN i % 3 = 0 THEN 3 WHEN i % 2 = 0 THEN 1 ELSE 5 END, '후기 ' || i
                FROM generate_series(1, 30) AS i
                """)
        }
        let configuration = try OndoConfiguration.load(environment: db.environment(as: .app))
        let operations = try Operations(configuration: configuration, logger: TestPostgres.logger)
        let rated = (1...30).reversed().filter { $0 % 3 != 0 }.map(Int64.init)
        let reports = LockedBox<[Int]>([])

        let all = try await operations.ratedReviews(since: nil, limit: 1_000, pageSize: 4) { progress in
            reports.mutate { $0.append(progress.done) }
        }
        #expect(all.map(\.id) == rated)
        #expect(all.allSatisfy { $0.positive == ($0.id % 2 == 1) })
        #expect(all.allSatisfy { $0.body == "후기 \($0.id)" })
        #expect(reports.mutate { $0 }.last == rated.count)

        let newest = try await operations.ratedReviews(since: nil, limit: 7, pageSize: 3) { _ in }
        #expect(newest.map(\.id) == Array(rated.prefix(7)))
        let exactPages = try await operations.ratedReviews(since: nil, limit: 20, pageSize: 5) { _ in }
        #expect(exactPages.map(\.id) == rated)
        await operations.close()
    }
}
