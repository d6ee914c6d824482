import Foundation
import TestSupport
import Testing

/// `ondo sentiment train --from-database` groups the counts it prints itself and those of the training transcript.
/// It said "shop.reviews: 2500 rated reviews (1250 positive, 1250 negative); 1250 held out, 1250 to train on",
/// "training on 1125 reviews" and "(1201 of 1250 right)".
@Suite struct SentimentTrainDatabaseCountsTests {
    @Test func theCountsAreGrouped() async throws {
        let db = try await TestPostgres.shared.freshDatabase("CLITrainDatabaseGrouped")
        // 2,500 rated reviews, 5 stars and 1 star in turn.
        try await db.withConnection(as: .shop) { shop in
            try shop.execute(
                """
                INSERT INTO shop.reviews (id, customer_id, product_id, rating, body)
                SELECT i, i, 1, CASE WHEN i % 2 = 0 THEN 1 ELSE 5 END,
                       CASE WHEN i % 2 = 0 THEN '별로예요 ' ELSE '좋아요 ' END || i
                FROM generate_series(1, 2500) AS i
                """)
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ondo-train-db-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let outcome = try await OndoExecutable.run(
            [
                "sentiment", "train", "--from-database", "--base", "none", "--hold-out", "0.5", "--epochs", "1",
                "--units", "4", "--layers", "1", "--out", dir.appendingPathComponent("shop.model").path,
            ], environment: db.environment(as: .app))
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let err = outcome.standardError
        #expect(
            err.contains(
                try Regex(
                    #"shop\.reviews: 2,500 rated reviews \(1,250 positive, 1,250 negative\); "#
                        + #"1,[0-9]{3} held out, 1,[0-9]{3} to train on"#)), "\(err)")
        #expect(
            err.contains(try Regex(#"training on 1,[0-9]{3} reviews, validating on [0-9]+; vocabulary "#)), "\(err)")
        #expect(err.contains(try Regex(#"[0-9],[0-9]{3} parameters"#)), "\(err)")
        let out = outcome.standardOutput
        #expect(out.contains(try Regex(#"held out     1,[0-9]{3} reviews \("#)), "\(out)")
        #expect(out.contains(try Regex(#"after        accuracy [0-9.]+ % \([0-9,]+ of 1,[0-9]{3} right\)"#)), "\(out)")
        #expect(
            out.contains(try Regex(#"[0-9],[0-9]{3} parameters\); trained from scratch on 1,[0-9]{3} reviews"#)),
            "\(out)")
    }
}
