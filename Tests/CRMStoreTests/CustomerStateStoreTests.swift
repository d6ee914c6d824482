import CRM
import CRMStore
import Foundation
import Postgres
import TestSupport
import Testing

/// Recomputing customers' states in the database, as Ondo's own role.
@Suite struct CustomerStateStoreTests {
    private let store = CustomerStateStore.forTests

    /// JIT compilation is off while a recompute's transaction runs (a facts query whose estimate passed
    /// jit_above_cost paid 20–60 ms of compiling per batch), and back to the session's value afterwards, so a
    /// pooled connection carries nothing over.
    @Test func recomputeTurnsJITOffForItsTransactionOnly() async throws {
        let db = try await TestPostgres.shared.database("CustomerStateJIT")
        try await db.withConnection(as: .shop) { shop in
            try shop.execute(
                "INSERT INTO shop.customers (id, name, created_at) VALUES (51, '가나다', now() - interval '90 days')")
            try shop.execute(
                "INSERT INTO shop.products (id, sku, name, category, price) VALUES (5, 'SKU-5', '셔츠', 'clothing', 30000)"
            )
            try shop.execute(
                "INSERT INTO shop.orders (customer_id, ordered_at, total, status) VALUES (51, now() - interval '3 days', 30000, 'delivered')"
            )
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
            let state = try connection.queryValue(
                String.self, "SELECT state FROM crm.customer_state WHERE customer_id = 51")
            return (during, after, state)
        }
        #expect(during == "off")
        #expect(after == "on")
        #expect(state == CustomerState.active.rawValue)
    }

    /// A recompute that leaves the state as it was keeps a recheck time that has not passed yet and rewrites the
    /// row without index entries (a heap-only update, migration 0011); a recheck due earlier than the stored one
    /// replaces it, and so does any recheck once the stored one has passed.
    @Test func recomputeKeepsAnEarlierRecheckAndRewritesTheRowHeapOnly() async throws {
        let db = try await TestPostgres.shared.database("CustomerStateRecheck")
        try await db.withConnection(as: .shop) { shop in
            try shop.execute(
                "INSERT INTO shop.customers (id, name, created_at) VALUES (52, '라마바', now() - interval '90 days')")
            try shop.execute(
                "INSERT INTO shop.orders (customer_id, ordered_at, total, status) VALUES (52, now() - interval '3 days', 30000, 'delivered')"
            )
        }
        try await db.withConnection(as: .app) { connection in
            func recompute() throws -> Date {
                try connection.withTransaction { connection in
                    _ = try store.recompute([52: .recompute], lockWait: .wait, on: connection)
                }
                return try connection.queryValue(
                    Date.self, "SELECT recheck_at FROM crm.customer_state WHERE customer_id = 52")
            }
            func heapOnlyUpdates() throws -> Int {
                try connection.execute("SELECT pg_stat_force_next_flush()")
                return try connection.queryValue(
                    Int.self,
                    "SELECT n_tup_hot_upd::int FROM pg_stat_user_tables WHERE relid = 'crm.customer_state'::regclass")
            }
            let first = try recompute()
            // Active, ordered 3 days ago: the next time rule is 57 days away, so the 24-hour cap applies.
            #expect(abs(first.timeIntervalSinceNow - 86_400) < 60)
            let heapOnlyBefore = try heapOnlyUpdates()
            try connection.execute("SELECT pg_sleep(0.01)")
            let second = try recompute()
            #expect(second == first)
            #expect(try heapOnlyUpdates() == heapOnlyBefore + 1)

            try connection.execute(
                "UPDATE crm.customer_state SET recheck_at = now() + interval '30 days' WHERE customer_id = 52")
            let replacedLater = try recompute()
            #expect(abs(replacedLater.timeIntervalSinceNow - 86_400) < 60)

            try connection.execute(
                "UPDATE crm.customer_state SET recheck_at = now() - interval '1 minute' WHERE customer_id = 52")
            let replacedPassed = try recompute()
            #expect(abs(replacedPassed.timeIntervalSinceNow - 86_400) < 60)
        }
    }

    /// A loyal customer whose oldest order of the year leaves the 365-day window in two hours (and stops being loyal
    /// then) is looked at again then, not only after the maximum interval.
    @Test func recheckWhenAnOrderLeavesTheYear() async throws {
        let db = try await TestPostgres.shared.database("CustomerStateOrderLeavesYear")
        try await db.withConnection(as: .shop) { shop in
            try shop.execute(
                "INSERT INTO shop.customers (id, name, created_at) VALUES (54, '차카타', now() - interval '800 days')")
            for age in ["3 days", "10 days", "20 days", "365 days - 2 hours", "400 days"] {
                try shop.execute(
                    "INSERT INTO shop.orders (customer_id, ordered_at, total, status) VALUES (54, now() - \(age)::interval, 30000, 'delivered')"
                )
            }
        }
        let recheck = try await db.withConnection(as: .app) { connection in
            try connection.withTransaction { connection in
                let result = try store.recompute([54: .recompute], lockWait: .wait, on: connection)
                #expect(result.assessments[54]?.state == .loyal)
            }
            return try connection.queryValue(
                Date.self, "SELECT recheck_at FROM crm.customer_state WHERE customer_id = 54")
        }
        #expect(abs(recheck.timeIntervalSinceNow - 7_200) < 60, "recheck in \(recheck.timeIntervalSinceNow) s")
    }

    /// A recompute stamps its rows with the time it read after taking the customers' locks, not with its
    /// transaction's start: one that waited for another recompute's lock must not write an earlier time than the
    /// one it waited for (history out of order, time rules evaluated in the past).
    @Test func recomputeStampsTheTimeAfterItsLocksNotTheTransactionStart() async throws {
        let db = try await TestPostgres.shared.database("CustomerStateClock")
        try await db.withConnection(as: .shop) { shop in
            try shop.execute(
                "INSERT INTO shop.customers (id, name, created_at) VALUES (53, '사아자', now() - interval '90 days')")
        }
        let (began, updated) = try await db.withConnection(as: .app) { connection in
            try connection.withTransaction { connection in
                let began = try connection.queryValue(Date.self, "SELECT now()")
                try connection.execute("SELECT pg_sleep(0.3)")  // as if waiting for another recompute's lock
                _ = try store.recompute([53: .recompute], lockWait: .wait, on: connection)
                let updated = try connection.queryValue(
                    Date.self, "SELECT updated_at FROM crm.customer_state WHERE customer_id = 53")
                return (began, updated)
            }
        }
        #expect(updated.timeIntervalSince(began) >= 0.3)
    }

    /// A recompute in a transaction that is not READ COMMITTED is refused with a sentence, not run on a snapshot
    /// that predates its locks; `PostgresTransactionOptions.readCommitted` pins the level whatever the session default.
    @Test func recomputeRefusesASnapshotOlderThanItsLocks() async throws {
        let db = try await TestPostgres.shared.database("CustomerStateIsolation")
        try await db.withConnection(as: .shop) { shop in
            try shop.execute(
                "INSERT INTO shop.customers (id, name, created_at) VALUES (54, '차카타', now() - interval '90 days')")
        }
        try await db.withConnection(as: .app) { connection in
            try connection.execute("SET default_transaction_isolation = 'repeatable read'")
            let refusal = #expect(throws: PostgresError.self) {
                try connection.withTransaction { try store.recompute([54: .recompute], lockWait: .wait, on: $0) }
            }
            #expect(refusal?.code == .misuse)
            #expect(refusal?.message.contains("READ COMMITTED") == true)
            let pinned = try connection.withTransaction(.readCommitted) {
                try store.recompute([54: .recompute], lockWait: .wait, on: $0)
            }
            #expect(pinned.assessments[54] != nil)
        }
    }

    /// The facts query reads each review's score through the score rows' primary key even after `crm.review_sentiment`
    /// grew from empty under a long-lived connection. A statement prepared while the table was empty (a fresh
    /// install, or the table emptied and vacuumed) had its generic plan cached with a sequential scan of the score
    /// rows for every review read; kept until an ANALYZE of the table, that plan reread the whole, growing table per
    /// review (a 4,000-review end-to-end run spent 695 ms in the facts query against 79 ms planned afresh).
    @Test func factsQueryKeepsUsingTheScoreIndexAfterTheTableGrew() async throws {
        let db = try await TestPostgres.shared.database("CustomerStateFactsPlan")
        try await db.withConnection(as: .shop) { shop in
            try shop.execute(
                "INSERT INTO shop.customers (id, name, created_at) VALUES (55, '파하가', now() - interval '90 days')")
            try shop.execute(
                "INSERT INTO shop.products (id, sku, name, category, price) VALUES (5, 'SKU-5', '셔츠', 'clothing', 30000)"
            )
            try shop.execute(
                """
                INSERT INTO shop.reviews (customer_id, product_id, rating, body)
                SELECT 55, 5, 5, '좋아요 ' || i FROM generate_series(1, 3) AS i
                """)
        }
        // Statistics that say "empty", and no autovacuum to refresh them (and so replan) during the test.
        try await db.withConnection(as: .admin) { admin in
            try admin.execute("ALTER TABLE crm.review_sentiment SET (autovacuum_enabled = false)")
            try admin.execute("VACUUM ANALYZE crm.review_sentiment")
        }
        let sequentialScans = try await db.withConnection(as: .app) { connection in
            // More executions than PostgreSQL's five custom plans before it may settle on a generic one.
            for _ in 1...8 {
                try connection.withTransaction { _ = try store.recompute([55: .recompute], lockWait: .wait, on: $0) }
            }
            try connection.execute(
                """
                INSERT INTO crm.review_sentiment (review_id, model_version, customer_id, product_id, revision, probability, label)
                SELECT 1000000 + i, 'test-model', 1, 5, 1, 0.9, 'positive' FROM generate_series(1, 20000) AS i
                """)
            // The session's counts not yet flushed to the shared statistics (earlier transactions' included).
            func scansSoFar() throws -> Int {
                try connection.queryValue(
                    Int.self,
                    "SELECT seq_scan::int FROM pg_stat_xact_user_tables WHERE relid = 'crm.review_sentiment'::regclass")
            }
            return try connection.withTransaction { connection in
                let before = try scansSoFar()
                let result = try store.recompute([55: .recompute], lockWait: .wait, on: connection)
                #expect(result.assessments[55] != nil)
                return try scansSoFar() - before
            }
        }
        #expect(sequentialScans == 0)
    }
}
