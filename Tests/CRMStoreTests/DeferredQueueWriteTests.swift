import CRMStore
import Foundation
import Postgres
import TestSupport
import Testing

/// RELIABILITY: the shop's inserts never fail because of Ondo, at any isolation level (migration 0018). A shop
/// transaction at REPEATABLE READ or SERIALIZABLE whose trigger updated a queue row that a worker had changed
/// after the transaction's snapshot failed with 40001; outside READ COMMITTED the triggers now defer their queue
/// calls, and `DeferredQueueWrites.apply` (the lease sweeper) carries them out.
@Suite struct DeferredQueueWriteTests {
    /// Opens a shop transaction at `isolation`, takes its snapshot, lets `ondo` change queue rows as a worker
    /// would, then runs `statement` in the shop's transaction and commits; returns the SQLSTATE of a failure.
    private func shopStatementAfterWorkerChange(
        _ db: TestDatabase, isolation: String, worker: PostgresQuery, statement: PostgresQuery
    ) throws -> String? {
        let shop = try db.connect(as: .shop)
        defer { shop.close() }
        try shop.execute(PostgresQuery(unsafeSQL: "BEGIN ISOLATION LEVEL " + isolation))
        _ = try shop.queryValue(Int.self, "SELECT count(*) FROM shop.customers")  // the snapshot is taken here
        let app = try db.connect(as: .app)
        defer { app.close() }
        try app.execute(worker)
        let state = sqlState {
            try shop.execute(statement)
            try shop.execute("COMMIT")
        }
        if state != nil { _ = try? shop.execute("ROLLBACK") }
        return state
    }

    private func deferredCalls(_ db: TestDatabase) async throws -> [String] {
        try await db.withConnection(as: .app) {
            try $0.query("SELECT call FROM crm.deferred_work ORDER BY id").map { try $0.decode(String.self, "call") }
        }
    }

    @Test func anOrderAtRepeatableReadForACustomerJustRecomputedSucceedsAndIsQueuedLater() async throws {
        let db = try await TestPostgres.shared.freshDatabase("deferred_queue_writes")
        try await db.withConnection(as: .shop) {
            try $0.execute("INSERT INTO shop.customers (id, name) VALUES (31, '김')")
        }

        // A worker completes customer 31's recompute after the shop's snapshot; before migration 0018 the order's
        // trigger then failed to upsert that row with 40001.
        let state = try shopStatementAfterWorkerChange(
            db, isolation: "REPEATABLE READ",
            worker: "UPDATE crm.customer_work SET status = 'completed', completed_at = now() WHERE customer_id = 31",
            statement: "INSERT INTO shop.orders (id, customer_id, total) VALUES (3101, 31, 19900)")
        #expect(state == nil, "the shop's order failed with \(state ?? "")")
        #expect(try await deferredCalls(db) == ["enqueue_customer_work"])

        let applied = try await db.withConnection(as: .app) { try DeferredQueueWrites.apply(limit: 100, on: $0) }
        #expect(applied == 1)
        let work = try await db.withConnection { admin in
            try admin.query("SELECT status, cause, cause_id FROM crm.customer_work WHERE customer_id = 31").map {
                "\(try $0.decode(String.self, "status")):\(try $0.decode(String.self, "cause")):\(try $0.decode(Int64?.self, "cause_id") ?? 0)"
            }
        }
        #expect(work == ["pending:order:3101"])
        #expect(try await deferredCalls(db).isEmpty)
    }

    @Test func aReviewEditAtSerializableAfterItsScoreWasWrittenSucceedsAndIsRescoredLater() async throws {
        let db = try await TestPostgres.shared.freshDatabase("deferred_queue_writes")
        try await db.withConnection(as: .shop) {
            try $0.execute(
                "INSERT INTO shop.reviews (id, customer_id, product_id, rating, body) VALUES (3201, 32, 5, 4, '좋아요')")
        }
        let state = try shopStatementAfterWorkerChange(
            db, isolation: "SERIALIZABLE",
            worker: "UPDATE crm.review_work SET status = 'completed', completed_at = now() WHERE review_id = 3201",
            statement: "UPDATE shop.reviews SET body = '다시 보니 별로예요' WHERE id = 3201")
        #expect(state == nil, "the shop's edit failed with \(state ?? "")")
        #expect(try await deferredCalls(db) == ["enqueue_reviews"])

        #expect(try await db.withConnection(as: .app) { try DeferredQueueWrites.apply(limit: 100, on: $0) } == 1)
        let work = try await db.withConnection { admin in
            try admin.query("SELECT status, revision FROM crm.review_work WHERE review_id = 3201").map {
                "\(try $0.decode(String.self, "status")):\(try $0.decode(Int.self, "revision"))"
            }
        }
        #expect(work == ["pending:2"])
    }

    /// The review insert trigger's own deferred path (migration 0027 writes the queue inline only at READ COMMITTED):
    /// a review id deleted, its removal processed by a worker after the shop's snapshot, then inserted again.
    @Test func aReviewIdInsertedAgainAtRepeatableReadAfterItsRemovalWasProcessedSucceedsAndIsQueuedLater()
        async throws
    {
        let db = try await TestPostgres.shared.freshDatabase("deferred_queue_writes")
        try await db.withConnection(as: .shop) {
            try $0.execute(
                "INSERT INTO shop.reviews (id, customer_id, product_id, rating, body) VALUES (3401, 34, 5, 2, '그저')")
        }
        try await db.withConnection { admin in try admin.execute("DELETE FROM shop.reviews WHERE id = 3401") }
        let state = try shopStatementAfterWorkerChange(
            db, isolation: "REPEATABLE READ",
            worker: "UPDATE crm.review_work SET status = 'completed', completed_at = now() WHERE review_id = 3401",
            statement: """
                INSERT INTO shop.reviews (id, customer_id, product_id, rating, body) VALUES (3401, 35, 5, 5, '최고예요')
                """)
        #expect(state == nil, "the shop's insert failed with \(state ?? "")")
        #expect(try await deferredCalls(db) == ["enqueue_reviews"])

        #expect(try await db.withConnection(as: .app) { try DeferredQueueWrites.apply(limit: 100, on: $0) } == 1)
        let work = try await db.withConnection { admin in
            try admin.query("SELECT status, revision, customer_id FROM crm.review_work WHERE review_id = 3401").map {
                "\(try $0.decode(String.self, "status")):\(try $0.decode(Int.self, "revision")):"
                    + "\(try $0.decode(Int64.self, "customer_id"))"
            }
        }
        // Revision 1 the first insert, 2 the removal, 3 the id inserted again, now for customer 35.
        #expect(work == ["pending:3:35"])
    }

    @Test func aCustomerArrivingAtRepeatableReadAfterItsOrderWasProcessedSucceedsAndIsQueuedLater() async throws {
        let db = try await TestPostgres.shared.freshDatabase("deferred_queue_writes")
        // The shop wrote an order and a review before the customer's own row (there are no foreign keys); the
        // review was quarantined as unknown_customer.
        try await db.withConnection(as: .shop) {
            try $0.execute("INSERT INTO shop.orders (id, customer_id, total) VALUES (3301, 33, 5000)")
            try $0.execute(
                "INSERT INTO shop.reviews (id, customer_id, product_id, rating, body) VALUES (3301, 33, 5, 1, '별로')")
        }
        try await db.withConnection(as: .app) {
            try $0.execute(
                """
                WITH q AS (
                    INSERT INTO crm.review_quarantine (review_id, customer_id, product_id, revision, reason)
                    VALUES (3301, 33, 5, 1, 'unknown_customer'))
                UPDATE crm.review_work SET status = 'completed', completed_at = now() WHERE review_id = 3301
                """)
        }
        // A worker finishes the order's customer work after the shop's snapshot; the signup's trigger upserts it.
        let state = try shopStatementAfterWorkerChange(
            db, isolation: "REPEATABLE READ",
            worker: "UPDATE crm.customer_work SET status = 'completed', completed_at = now() WHERE customer_id = 33",
            statement: "INSERT INTO shop.customers (id, name) VALUES (33, '이')")
        #expect(state == nil, "the shop's signup failed with \(state ?? "")")
        #expect(try await deferredCalls(db) == ["enqueue_customer_work", "requeue_reviews_waiting_for"])

        #expect(try await db.withConnection(as: .app) { try DeferredQueueWrites.apply(limit: 100, on: $0) } == 2)
        let (review, customer) = try await db.withConnection { admin in
            (
                try admin.queryValue(String.self, "SELECT status FROM crm.review_work WHERE review_id = 3301"),
                try admin.queryValue(
                    String.self, "SELECT status || ':' || cause FROM crm.customer_work WHERE customer_id = 33")
            )
        }
        #expect(review == "pending", "the quarantined review is released")
        #expect(customer == "pending:signup")
    }

    @Test func aDeferredCallThatFailsIsKeptAndHoldsUpNoOther() async throws {
        let db = try await TestPostgres.shared.freshDatabase("deferred_queue_writes")
        // A damaged call first (more reviews than customers: a work row without a customer fails NOT NULL), then a
        // good one.
        try await db.withConnection { admin in
            try admin.execute(
                """
                INSERT INTO crm.deferred_work (call, ids, other_ids) VALUES
                    ('enqueue_reviews', ARRAY[3501, 3502]::bigint[], ARRAY[35]::bigint[]),
                    ('enqueue_reviews', ARRAY[3503]::bigint[], ARRAY[35]::bigint[])
                """)
        }
        let applied = try await db.withConnection(as: .app) { try DeferredQueueWrites.apply(limit: 10, on: $0) }
        #expect(applied == 1)
        let (queued, kept) = try await db.withConnection { admin in
            (
                try admin.query("SELECT review_id FROM crm.review_work WHERE customer_id = 35").map {
                    try $0.decode(Int64.self, "review_id")
                },
                try admin.queryValue(Int.self, "SELECT count(*) FROM crm.deferred_work")
            )
        }
        #expect(queued == [3503], "the good call is applied")
        #expect(kept == 1, "the failing call stays for the next sweep")
    }

    @Test func readCommittedShopTransactionsQueueAtOnceAndApplyingRefusesOtherLevels() async throws {
        let db = try await TestPostgres.shared.freshDatabase("deferred_queue_writes")
        try await db.withConnection(as: .shop) {
            try $0.execute(
                "INSERT INTO shop.reviews (id, customer_id, product_id, rating, body) VALUES (3401, 34, 5, 5, '최고')")
        }
        #expect(try await deferredCalls(db).isEmpty)
        let queued = try await db.withConnection {
            try $0.queryValue(Int.self, "SELECT count(*) FROM crm.review_work WHERE review_id = 3401")
        }
        #expect(queued == 1)

        // Applying at REPEATABLE READ would defer every call again; it is refused instead.
        let state = try await db.withConnection(as: .app) { app in
            sqlState {
                try app.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
                defer { _ = try? app.execute("ROLLBACK") }
                _ = try DeferredQueueWrites.apply(limit: 10, on: app)
            }
        }
        #expect(state == "25001")
    }

    /// Statement-level triggers fire for statements that change no row; their queue calls then had nothing to
    /// queue, yet outside READ COMMITTED each appended a row of empty arrays to crm.deferred_work (migration 0024).
    @Test func statementsThatChangeNoRowDeferNothingAtRepeatableRead() async throws {
        let db = try await TestPostgres.shared.freshDatabase("deferred_queue_writes")
        let shopStatements: [PostgresQuery] = [
            "INSERT INTO shop.reviews (id, customer_id, product_id, rating, body) SELECT 1, 1, 1, 5, '좋아' WHERE false",
            "UPDATE shop.reviews SET body = '별로예요' WHERE false",
            "INSERT INTO shop.orders (id, customer_id, total) SELECT 1, 1, 100 WHERE false",
            "UPDATE shop.orders SET total = 200 WHERE false",
            "INSERT INTO shop.customers (id, name) SELECT 1, '김' WHERE false",
            "UPDATE shop.customers SET name = '이' WHERE false",
            "INSERT INTO shop.products (id, sku, name, category, price) SELECT 1, 'S', '셔츠', '의류', 1 WHERE false",
        ]
        try await db.withConnection(as: .shop) { shop in
            try shop.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
            for statement in shopStatements { try shop.execute(statement) }
            try shop.execute("COMMIT")
        }
        // The shop role cannot DELETE; an operator can, and the delete trigger calls the same functions.
        try await db.withConnection { admin in
            try admin.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
            try admin.execute("DELETE FROM shop.reviews WHERE false")
            try admin.execute("COMMIT")
        }
        let calls = try await deferredCalls(db)
        #expect(calls == [], "\(calls)")
    }

    /// A database upgraded with calls of empty arrays still deferred (queued before migration 0024): applying
    /// them does nothing and removes them, and the calls after them are applied.
    @Test func deferredCallsWithEmptyArraysFromBeforeMigration24AreAppliedAsNothing() async throws {
        let db = try await TestPostgres.shared.freshDatabase("deferred_queue_writes")
        try await db.withConnection { admin in
            try admin.execute(
                """
                INSERT INTO crm.deferred_work (call, ids, other_ids, label) VALUES
                    ('enqueue_reviews', '{}', '{}', NULL),
                    ('enqueue_customer_work', '{}', '{}', 'order'),
                    ('requeue_reviews_waiting_for', '{}', NULL, 'unknown_customer'),
                    ('requeue_reviews_waiting_for', '{}', NULL, 'unknown_product'),
                    ('enqueue_reviews', ARRAY[3601]::bigint[], ARRAY[36]::bigint[], NULL)
                """)
        }
        let applied = try await db.withConnection(as: .app) { try DeferredQueueWrites.apply(limit: 10, on: $0) }
        #expect(applied == 5)
        let (reviews, customers) = try await db.withConnection { admin in
            (
                try admin.query("SELECT review_id FROM crm.review_work").map { try $0.decode(Int64.self, "review_id") },
                try admin.queryValue(Int.self, "SELECT count(*) FROM crm.customer_work")
            )
        }
        #expect(reviews == [3601])
        #expect(customers == 0)
        #expect(try await deferredCalls(db).isEmpty)
    }
}
