import Foundation
import Postgres
import TestSupport
import Testing

@testable import CRMStore

/// The rated reviews `ondo sentiment train --from-database` learns from, read as the application role.
@Suite struct RatedReviewQueryTests {
    /// One review of every kind, written as the shop writes them (ids 1…12; id order is insertion order).
    private static let rows: [(id: Int64, rating: Int?, body: String, createdAt: String)] = [
        (1, 1, "최악이에요 환불해 주세요", "2025-03-01T10:00:00Z"),
        (2, 2, "별로예요", "2025-06-01T10:00:00Z"),
        (3, 3, "그냥 그래요", "2025-07-01T10:00:00Z"),
        (4, 4, "괜찮아요", "2025-08-01T10:00:00Z"),
        (5, 5, "정말 좋아요 'quoted' $1 \\ 😀", "2025-09-01T10:00:00Z"),
        (6, nil, "별점 없이 쓴 후기", "2025-10-01T10:00:00Z"),
        (7, 5, "", "2025-10-02T10:00:00Z"),
        (8, 1, "   ", "2025-10-03T10:00:00Z"),
        (9, 4, "\n\t ", "2025-10-04T10:00:00Z"),
        (10, 2, " 배송 느려요 ", "2025-11-01T10:00:00Z"),
        (11, 5, "최고", "2025-12-01T10:00:00Z"),
        (12, 3, "보통", "2025-12-02T10:00:00Z"),
    ]

    private func database() async throws -> TestDatabase {
        let db = try await TestPostgres.shared.freshDatabase("RatedReviewQuery")
        try await db.withConnection(as: .shop) { shop in
            for row in Self.rows {
                try shop.execute(
                    """
                    INSERT INTO shop.reviews (id, customer_id, product_id, rating, body, created_at)
                    VALUES (\(row.id), 100 + \(row.id), 7, \(row.rating), \(row.body), \(row.createdAt)::timestamptz)
                    """)
            }
        }
        return db
    }

    @Test func mapsRatingsAndSkipsThreeStarsUnratedAndBlankReviewsNewestFirst() async throws {
        let db = try await database()
        let reviews = try await db.withConnection(as: .app) {
            try RatedReviewQuery().page(before: nil, limit: 100, on: $0)
        }
        #expect(reviews.map(\.id) == [11, 10, 5, 4, 2, 1])
        #expect(reviews.map(\.positive) == [true, false, true, true, false, false])
        #expect(reviews.first { $0.id == 5 }?.body == "정말 좋아요 'quoted' $1 \\ 😀", "text read back as written")
        #expect(reviews.first { $0.id == 10 }?.body == " 배송 느려요 ")
    }

    @Test func pagesContinueBelowTheLastIdAndSinceKeepsOnlyNewerReviews() async throws {
        let db = try await database()
        let (first, second, rest) = try await db.withConnection(as: .app) { connection in
            let query = RatedReviewQuery()
            let first = try query.page(before: nil, limit: 4, on: connection)
            let second = try query.page(before: first.last?.id ?? 0, limit: 4, on: connection)
            let rest = try query.page(before: second.last?.id ?? 0, limit: 4, on: connection)
            return (first, second, rest)
        }
        #expect(first.map(\.id) == [11, 10, 5, 4])
        #expect(second.map(\.id) == [2, 1])
        #expect(rest.isEmpty)

        let since = try #require(ISO8601DateFormatter().date(from: "2025-08-01T10:00:00Z"))
        let recent = try await db.withConnection(as: .app) {
            try RatedReviewQuery(since: since).page(before: nil, limit: 100, on: $0)
        }
        #expect(recent.map(\.id) == [11, 10, 5, 4], "created_at >= since, the boundary included")
    }

    /// The shop's ids may be any bigint: the walk starts at the highest, Int64.max included, and goes down to the
    /// lowest. (It began below Int64.max, so a review with that id was never read.)
    @Test func everyBigintIdIsReachedTheLargestAndNegativeOnesIncluded() async throws {
        let db = try await TestPostgres.shared.freshDatabase("RatedReviewQueryEdges")
        let ids: [Int64] = [.max, .max - 1, 0, -5, .min]
        try await db.withConnection(as: .shop) { shop in
            for id in ids {
                try shop.execute(
                    """
                    INSERT INTO shop.reviews (id, customer_id, product_id, rating, body, created_at)
                    VALUES (\(id), 101, 7, 5, '좋아요', '2025-03-01T10:00:00Z'::timestamptz)
                    """)
            }
        }
        let (whole, paged) = try await db.withConnection(as: .app) { connection in
            let query = RatedReviewQuery()
            let whole = try query.page(before: nil, limit: 100, on: connection)
            var paged: [Int64] = []
            var before: Int64?
            while true {
                let page = try query.page(before: before, limit: 2, on: connection)
                guard let last = page.last else { break }
                paged += page.map(\.id)
                before = last.id
            }
            return (whole.map(\.id), paged)
        }
        #expect(whole == ids)
        #expect(paged == ids, "two at a time, each page below the last")
    }

    @Test func everyValueIsABindParameter() throws {
        let since = Date(timeIntervalSince1970: 1_767_225_600)
        let statement = RatedReviewQuery(since: since).statement(before: 987_654, limit: 4_321)
        #expect(statement.binds.count == 4)
        #expect(statement.sql.contains("$1::bigint IS NULL OR r.id < $2"))
        #expect(statement.sql.contains("r.created_at >= $3"))
        #expect(statement.sql.contains("LIMIT $4"))
        for value in ["987654", "4321", "2026"] { #expect(!statement.sql.contains(value)) }
        #expect(RatedReviewQuery().statement(before: nil, limit: 1).binds.count == 3)
    }
}
