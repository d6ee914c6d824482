import Foundation
import Postgres

/// A shop review whose star rating says clearly whether it is positive: training data for the sentiment model.
public struct RatedReview: Sendable, Equatable {
    /// The shop's review id.
    public var id: Int64
    /// The review text as written.
    public var body: String
    /// True for 4–5 stars, false for 1–2.
    public var positive: Bool

    /// Creates a rated review (tests build them by hand).
    public init(id: Int64, body: String, positive: Bool) {
        self.id = id
        self.body = body
        self.positive = positive
    }
}

/// Reads the shop's rated reviews for `ondo sentiment train --from-database`, newest first, a page at a time.
///
/// A review is used when it has a rating other than 3 (1–2 negative, 4–5 positive; 3 stars say neither, and a
/// NULL rating says nothing) and a body with at least one non-space character. "Newest" is the highest id:
/// ids are an identity, so they follow insertion order, and walking the primary key backwards (keyset paging)
/// reads a page of a table with millions of reviews without sorting the table.
public struct RatedReviewQuery: Sendable {
    /// Only reviews written at or after this (nil: all).
    public var since: Date?

    /// Creates a query.
    public init(since: Date? = nil) {
        self.since = since
    }

    /// The next at most `limit` rated reviews with an id below `before`, highest id first; pass nil for the first
    /// page (from the highest id on: a start below `Int64.max` would leave a review with that id out) and the last
    /// id of a page for the next one. An empty page means there are no more.
    public func page(before: Int64?, limit: Int, on connection: PostgresConnection) throws -> [RatedReview] {
        try connection.query(statement(before: before, limit: limit)).map { row in
            RatedReview(
                id: try row.decode(Int64.self, "id"), body: try row.decode(String.self, "body"),
                positive: try row.decode(Bool.self, "positive"))
        }
    }

    /// The page's statement; every value in it is a bind parameter.
    func statement(before: Int64?, limit: Int) -> PostgresQuery {
        var filters: PostgresQuery = ""
        if let since { filters = filters + " AND r.created_at >= \(since)" }
        return """
            SELECT r.id, r.body, r.rating >= 4 AS positive
            FROM shop.reviews AS r
            WHERE (\(before)::bigint IS NULL OR r.id < \(before)) AND r.rating IS NOT NULL AND r.rating <> 3
              AND r.body ~ '[^[:space:]]'\(filters)
            ORDER BY r.id DESC
            LIMIT \(limit)
            """
    }
}
