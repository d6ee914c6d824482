import CRM
import Foundation
import TestSupport
import Testing

/// `ondo customer show` prints a negative review's text probability twice: in the reason it gives for the state,
/// and in the review's "text score" column. The reason keeps the probability rounded to 4 places and was printed
/// with 2, a second rounding: a probability of 0.005 (stored as a `real` just below it) read "from text 0.01" in
/// the reason and 0.00 in the column.
@Suite struct CustomerShowScoreTextTests {
    @Test(arguments: [(Float(0.005), "0.0050"), (Float(0.0049), "0.0049")])
    func theReasonAndTheReviewShowTheSameProbability(probability: Float, shown: String) async throws {
        let db = try await TestPostgres.shared.freshDatabase("CLIShowScoreText")
        // The state engine reads the `real` back as a double, and the reason keeps that.
        let reason = StateReason.negativeReview(
            reviewId: 1, productId: 1, score: 0.1, probability: Double(probability), rating: 1, aspects: [],
            daysAgo: 0)
        let reasons = String(decoding: try JSONEncoder().encode([reason]), as: UTF8.self)
        try await db.withConnection { admin in
            try admin.execute("INSERT INTO shop.customers (id, name) VALUES (1, 'Kim')")
            try admin.execute("INSERT INTO shop.products (id, name) VALUES (1, 'thing')")
            try admin.execute(
                "INSERT INTO shop.reviews (id, customer_id, product_id, rating, body) VALUES (1, 1, 1, 1, '별로')")
            try admin.execute(
                """
                INSERT INTO crm.review_sentiment
                    (review_id, model_version, customer_id, product_id, revision, probability, label)
                VALUES (1, 'test-model', 1, 1, 1, \(probability), 'negative')
                """)
            try admin.execute(
                """
                INSERT INTO crm.customer_state (customer_id, state, churn_risk, sentiment_score, reasons, state_since,
                                                updated_at, recheck_at, cause, cause_id)
                VALUES (1, 'at_risk', 0.76, 0.3, \(reasons)::jsonb, now(), now(), now() + interval '1 day', 'review', 1)
                """)
        }
        let outcome = try await OndoExecutable.run(["customer", "show", "1"], environment: db.environment(as: .app))
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let lines = outcome.standardOutput.split(separator: "\n").map(String.init)
        // "  - negative review #1 (score 0.10 from text X and 1★), 0 days ago"
        let inReason = lines.first { $0.contains("negative review #1") }
            .flatMap { $0.split(separator: "from text ").last?.split(separator: " ").first }.map(String.init)
        // "#1      2026-11-30 04:00  1  X  negative  …"
        let inColumn = lines.first { $0.hasPrefix("#1 ") }
            .map { $0.split(separator: " ", omittingEmptySubsequences: true) }.flatMap { $0.count > 4 ? $0[4] : nil }
            .map(String.init)
        #expect(inReason == inColumn, "the reason and the column disagree: \(outcome.standardOutput)")
        #expect(inReason == shown, "\(outcome.standardOutput)")
        #expect(inColumn == shown, "\(outcome.standardOutput)")

        // The JSON gives a stored `real` as written (0.005, 0.76), not its double expansion (0.004999999888241291).
        let json = try await OndoExecutable.run(
            ["customer", "show", "1", "--format", "json"], environment: db.environment(as: .app))
        let profile = try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any]
        let reviews = profile?["reviews"] as? [[String: Any]]
        #expect(reviews?.first?["probability"] as? Double == Double("\(probability)"), "\(json.standardOutput)")
        #expect(profile?["churn_risk"] as? Double == 0.76, "the real 0.76 \(json.standardOutput)")
        #expect(profile?["sentiment_score"] as? Double == 0.3, "\(json.standardOutput)")
    }
}
