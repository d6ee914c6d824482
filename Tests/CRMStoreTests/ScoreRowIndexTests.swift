import CRMStore
import Postgres
import TestSupport
import Testing

/// Each scored review writes one entry into every index of `crm.review_sentiment`; Ondo reads score rows by
/// `review_id` only (migration 0017), so the primary key is the only index worth that write.
@Suite struct ScoreRowIndexTests {
    @Test func scoreRowsAreIndexedByTheirPrimaryKeyOnly() async throws {
        let db = try await TestPostgres.shared.database("ScoreRowIndexes")
        let indexes = try await db.withConnection(as: .admin) { admin in
            try admin.query(
                "SELECT indexname FROM pg_indexes WHERE schemaname = 'crm' AND tablename = 'review_sentiment'"
            ).map { try $0.decode(String.self, "indexname") }
        }
        #expect(indexes == ["review_sentiment_pkey"])
    }
}
