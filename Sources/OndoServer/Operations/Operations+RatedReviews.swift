import CRMStore
import Foundation

extension Operations {
    /// The newest (highest id) `limit` rated reviews (1–2 or 4–5 stars, with text), optionally only those written
    /// since `since`, read `pageSize` at a time (one short statement each, so a large table is never held in one
    /// result): the training data of `ondo sentiment train --from-database`.
    public func ratedReviews(
        since: Date?, limit: Int, pageSize: Int = 5_000, progress: @escaping @Sendable (OperatorProgress) -> Void
    ) async throws -> [RatedReview] {
        try await onMigratedDatabase {
            try await readRatedReviews(since: since, limit: limit, pageSize: pageSize, progress: progress)
        }
    }

    private func readRatedReviews(
        since: Date?, limit: Int, pageSize: Int, progress: @escaping @Sendable (OperatorProgress) -> Void
    ) async throws -> [RatedReview] {
        let query = RatedReviewQuery(since: since)
        let started = ContinuousClock.now
        var reviews: [RatedReview] = []
        var before: Int64?  // nil: from the highest id, which may be Int64.max itself
        while reviews.count < limit {
            let (cursor, size) = (before, min(pageSize, limit - reviews.count))
            let page = try await pool.withConnection { try query.page(before: cursor, limit: size, on: $0) }
            reviews += page
            guard let last = page.last, page.count == size, reviews.count < limit else { break }
            before = last.id
            progress(
                OperatorProgress(
                    phase: "reading rated reviews", done: reviews.count, total: 0,
                    elapsedSeconds: started.duration(to: .now) / .seconds(1)))
        }
        // The total is known now: a full bar.
        progress(
            OperatorProgress(
                phase: "reading rated reviews", done: reviews.count, total: reviews.count,
                elapsedSeconds: started.duration(to: .now) / .seconds(1)))
        return reviews
    }
}
