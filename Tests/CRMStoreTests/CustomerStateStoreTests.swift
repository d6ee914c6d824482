import CRM
import CRMStore
import Foundation
import Postgres
import TestSupport
import Testing

/// Recomputing customers' states in the database, as Ondo's own role.
@Suite struct CustomerStateStoreTests {
    private let store = CustomerStateStore(
        evaluator: StateEvaluator(), maximumRecheckInterval: 86_400, preferredModelVersion: "test-model")

    /// JIT compilation is off while a recompute's transaction runs (a facts query whose estimate passed
    /// jit_above_cost paid 20–60 ms of compiling per batch), and back to the session's value afterwards, so a
    /// pooled connection carries nothing over.
    @Test func recomputeTurnsJITOffForItsTransactionOnly() async throws {
        let db = try await TestPostgres.shared.database("CustomerStateJIT")
        try await db.withConnection(as: .shop) { shop in
            try shop.execute("INSERT INTO shop.customers (id, name, created_at) VALUES (51, '가나다', now() - interval '90 days')")
            try shop.execute("INSERT INTO shop.products (id, sku, name, category, price) VALUES (5, 'SKU-5', '셔츠', 'clothing', 30000)")
            try shop.execute("INSERT INTO shop.orders (customer_id, ordered_at, total, status) VALUES (51, now() - interval '3 days', 30000, 'delivered')")
        }
        let (during, after, state) = try await db.withConnection(as: .app) { connection in
            let sessionDefault = try connection.queryValue(String.self, "SELECT current_setting('jit')")
            #expect(sessionDefault == "on")
            let during = try connection.withTransaction { connection in
                let result = try store.recompute([51: .recompute], lockWait: .wait, on: connection)
                #expect(result.assessments[51] != nil)
                return try connection.queryValue(String.self, "SELECT current_setting('jit')")
            }
            let after = try connection.queryValue(String.self, "SELECT current_setting('jit')")
            let state = try connection.queryValue(String.self, "SELECT state FROM crm.customer_state WHERE customer_id = 51")
            return (during, after, state)
        }
        #expect(during == "off")
        #expect(after == "on")
        #expect(state == CustomerState.active.rawValue)
    }
}
