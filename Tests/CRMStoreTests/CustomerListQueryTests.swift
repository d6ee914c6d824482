import CRMStore
import Foundation
import Postgres
import TestSupport
import Testing

/// `ondo customer list`'s query (`CustomerDirectory.list`).
@Suite struct CustomerListQueryTests {
    /// A list of 50 joined every assessed customer to `shop.customers` before it sorted and cut: each list read the
    /// whole shop (0.33-0.45 s for the default list of 200,000 customers). It cuts first now, and looks up only the
    /// names it prints (of 50,000 here; of 5,000 the planner rightly reads them all in one pass); the table statistics of the transaction count the rows read.
    @Test func aShortListLooksUpOnlyTheNamesItPrints() async throws {
        let db = try await TestPostgres.shared.freshDatabase("CustomerListCutFirst")
        try await db.withConnection(as: .admin) { admin in
            try admin.runScript(
                """
                INSERT INTO shop.customers (id, name) SELECT g, 'c' || g FROM generate_series(1, 50000) AS g;
                INSERT INTO crm.customer_state
                    (customer_id, state, churn_risk, sentiment_score, state_since, updated_at, recheck_at, cause)
                SELECT g, 'active', (g % 9973) / 9973.0, 0.5, now(), now(), now() + interval '1 day', 'recompute'
                FROM generate_series(1, 50000) AS g;
                ANALYZE shop.customers;
                ANALYZE crm.customer_state;
                """)
        }
        let (listed, customersRead) = try await db.withConnection(as: .app) { app in
            try app.execute("BEGIN")
            defer { try? app.execute("ROLLBACK") }
            var filter = CustomerDirectory.Filter()
            filter.limit = 50
            let listed = try CustomerDirectory().list(filter, on: app)
            let read = try app.queryValue(
                Int.self,
                """
                SELECT coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0) FROM pg_stat_xact_user_tables
                WHERE schemaname = 'shop' AND relname = 'customers'
                """)
            return (listed, read)
        }
        #expect(listed.count == 50)
        #expect(listed.first?.name == "c9972" && listed.first?.churnRisk ?? 0 > 0.999, "riskiest first, named")
        let risks = listed.map(\.churnRisk)
        #expect(risks == risks.sorted(by: >))
        // 52 measured: the 50 names and the index's own look-ups; 50,002 before.
        #expect(customersRead < 100, "\(customersRead) rows of shop.customers read for a list of 50")
    }
}
