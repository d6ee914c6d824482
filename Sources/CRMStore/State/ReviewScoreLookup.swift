import Postgres

/// Each review's current score: the preferred model's when it has one, else the newest any model wrote.
///
/// Read for a whole batch of reviews by key array, in at most two statements, rather than by a lateral subquery per
/// review: that one ran an index lookup, a sort and a limit for each review a recompute reads (about 2.7 µs a
/// review; the reviews of 250 customers read in 18–23 ms against 11 ms for the two statements here, on 40,000
/// reviews, 2026-12-01). Planned for each call, not prepared (see ``WorkQueue``).
struct ReviewScoreLookup {
    /// The model whose scores are preferred when a review was scored by several (nil: the newest score counts).
    var preferredModelVersion: String?

    /// A review's score: the model's probability that it is positive, and the complaint aspects found in it.
    struct Score: Equatable {
        var probability: Double
        var aspects: [String]
    }

    /// The current score of each of `reviewIds` that has one; reviews never scored are absent.
    func scores(of reviewIds: [Int64], on connection: PostgresConnection) throws -> [Int64: Score] {
        guard !reviewIds.isEmpty else { return [:] }
        var scores: [Int64: Score] = [:]
        if let preferredModelVersion {
            try read(
                """
                SELECT review_id, probability::float8 AS probability, aspects FROM crm.review_sentiment
                WHERE review_id = ANY(\(reviewIds)) AND model_version = \(preferredModelVersion)
                """, into: &scores, on: connection)
        }
        let others = reviewIds.filter { scores[$0] == nil }
        guard !others.isEmpty else { return scores }
        try read(
            """
            SELECT DISTINCT ON (review_id) review_id, probability::float8 AS probability, aspects
            FROM crm.review_sentiment WHERE review_id = ANY(\(others))
            ORDER BY review_id, scored_at DESC
            """, into: &scores, on: connection)
        return scores
    }

    private func read(_ query: PostgresQuery, into scores: inout [Int64: Score], on connection: PostgresConnection)
        throws
    {
        for row in try connection.query(query) {
            scores[try row.decode(Int64.self, "review_id")] = Score(
                probability: try row.decode(Double.self, "probability"),
                aspects: try row.decode([String]?.self, "aspects") ?? [])
        }
    }
}
