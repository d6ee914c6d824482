import Foundation
import Postgres
import TestSupport
import Testing

/// The insert trigger on shop.orders queues the ordering customers in the shop's transaction (migration 0027 writes
/// the queue rows inline rather than through crm.enqueue_customer_work; these pin what it must still do).
@Suite struct OrderWorkTriggerTests {
    private struct CustomerWork: Sendable, Equatable {
        var status: String
        var cause: String
        var causeID: Int64?
        var attempts: Int
    }

    private func customerWork(_ db: TestDatabase, customers: [Int64]) async throws -> [Int64: CustomerWork] {
        try await db.withConnection { admin in
            var rows: [Int64: CustomerWork] = [:]
            for row in try admin.query(
                "SELECT customer_id, status, cause, cause_id, attempts FROM crm.customer_work WHERE customer_id = ANY(\(customers))"
            ) {
                rows[try row.decode(Int64.self, "customer_id")] = CustomerWork(
                    status: try row.decode(String.self, "status"), cause: try row.decode(String.self, "cause"),
                    causeID: try row.decode(Int64?.self, "cause_id"), attempts: try row.decode(Int.self, "attempts"))
            }
            return rows
        }
    }

    @Test func anOrderInsertQueuesEachCustomerOnceCausedByItsNewestOrder() async throws {
        let db = try await TestPostgres.shared.freshDatabase("OrderWorkTrigger")
        try await db.withConnection(as: .shop) { shop in
            try shop.execute(
                """
                INSERT INTO shop.orders (id, customer_id, total)
                VALUES (6102, 61, 1000), (6101, 61, 2000), (6103, 62, 3000)
                """)
        }
        #expect(
            try await customerWork(db, customers: [61, 62]) == [
                61: CustomerWork(status: "pending", cause: "order", causeID: 6102, attempts: 0),
                62: CustomerWork(status: "pending", cause: "order", causeID: 6103, attempts: 0),
            ])

        // A customer whose recompute failed once and finished later is queued afresh by the next order.
        try await db.withConnection { admin in
            try admin.execute(
                "UPDATE crm.customer_work SET status = 'completed', attempts = 1, completed_at = now() WHERE customer_id = 61"
            )
        }
        try await db.withConnection(as: .shop) { shop in
            try shop.execute("INSERT INTO shop.orders (id, customer_id, total) VALUES (6104, 61, 500)")
        }
        #expect(
            try await customerWork(db, customers: [61])[61]
                == CustomerWork(status: "pending", cause: "order", causeID: 6104, attempts: 0))
    }

    /// The insert triggers are statement-level and fire for an INSERT that inserts nothing: that must queue nothing
    /// and wake nobody, while an INSERT of a row still wakes idle workers.
    @Test func anInsertOfNoRowQueuesNothingAndWakesNobody() async throws {
        let db = try await TestPostgres.shared.freshDatabase("InsertTriggerNoRow")
        let listener = PostgresListener(
            configuration: db.configuration(as: .app), channels: ["ondo_review_work", "ondo_customer_work"],
            logger: TestPostgres.logger)
        let log = EventLog(listener.events)
        listener.start()
        defer { listener.stop() }
        try await log.waitFor("listening") { if case .listening = $0 { true } else { false } }

        try await db.withConnection(as: .shop) { shop in
            try shop.execute(
                "INSERT INTO shop.reviews (id, customer_id, product_id, rating, body) SELECT 1, 1, 1, 5, '좋아' WHERE false"
            )
            try shop.execute("INSERT INTO shop.orders (id, customer_id, total) SELECT 1, 1, 100 WHERE false")
        }
        let early = await #expect(throws: PostgresError.self) {
            try await log.waitFor("a wake-up for nothing", seconds: 1) {
                if case .notification = $0 { true } else { false }
            }
        }
        #expect(early?.code == .unexpectedResponse)
        let queued = try await db.withConnection {
            try $0.queryValue(
                Int.self, "SELECT (SELECT count(*) FROM crm.review_work) + (SELECT count(*) FROM crm.customer_work)")
        }
        #expect(queued == 0)

        try await db.withConnection(as: .shop) { shop in
            try shop.execute("INSERT INTO shop.orders (id, customer_id, total) VALUES (7001, 71, 100)")
        }
        let event = try await log.waitFor("the order's wake-up") { if case .notification = $0 { true } else { false } }
        if case .notification(let note) = event { #expect(note.channel == "ondo_customer_work") }
    }

    /// As ReviewWorkTriggerTests.shadowedNamesCannotHijackTheTrigger, for the order trigger, which since migration 0027
    /// writes crm.customer_work and asks for idle workers itself: nothing the shop's session defines stands in.
    @Test func shadowedNamesCannotHijackTheOrderTrigger() async throws {
        let db = try await TestPostgres.shared.freshDatabase("OrderTriggerHijack")
        try await ShadowingDecoys.createSchema(in: db)
        let listener = PostgresListener(
            configuration: db.configuration(as: .app), channels: ["ondo_customer_work"], logger: TestPostgres.logger)
        let log = EventLog(listener.events)
        listener.start()
        defer { listener.stop() }
        try await log.waitFor("listening") { if case .listening = $0 { true } else { false } }
        let failure = try await db.withConnection(as: .shop) { shop -> String? in
            try ShadowingDecoys.plant(
                on: shop,
                tables: """
                    CREATE TABLE evil.customer_work (customer_id bigint, cause text, cause_id bigint);
                    CREATE TEMP TABLE customer_work (customer_id bigint, cause text, cause_id bigint);
                    """,
                moreDecoys: """
                    CREATE FUNCTION evil.statement_timestamp() RETURNS timestamptz LANGUAGE sql
                        AS $$ SELECT '3000-01-01'::timestamptz $$;
                    CREATE FUNCTION evil.current_setting(text) RETURNS text LANGUAGE sql AS $$ SELECT 'serializable' $$;
                    -- Found before pg_catalog's by a caller's search_path: `queued = 0` would hold for every insert, and
                    -- the trigger would return before its idle check, waking nobody.
                    CREATE FUNCTION evil.equals(bigint, integer) RETURNS boolean LANGUAGE sql AS $$ SELECT true $$;
                    CREATE OPERATOR evil.= (LEFTARG = bigint, RIGHTARG = integer, FUNCTION = evil.equals);
                    """)
            // The first order finds the queue idle (so the trigger notifies), the second takes the ON CONFLICT path.
            return sqlState {
                try shop.execute("INSERT INTO orders (id, customer_id, total) VALUES (8001, 81, 100)")
                try shop.execute("INSERT INTO orders (id, customer_id, total) VALUES (8002, 81, 200)")
            }
        }
        #expect(failure == nil, "the shop's inserts succeed")
        _ = try await log.waitFor("the wake-up of the idle workers") {
            if case .notification = $0 { true } else { false }
        }
        let (work, evilRows, deferred, years) = try await db.withConnection { admin in
            (
                try admin.queryValue(
                    Int.self,
                    """
                    SELECT count(*) FROM crm.customer_work WHERE customer_id = 81 AND cause = 'order' AND cause_id = 8002
                    """),
                try admin.queryValue(Int.self, "SELECT count(*) FROM evil.customer_work"),
                try admin.queryValue(Int.self, "SELECT count(*) FROM crm.deferred_work"),
                try admin.queryValue(
                    [Int64].self,
                    """
                    SELECT ARRAY[extract(year FROM enqueued_at), extract(year FROM available_at),
                                 extract(year FROM updated_at)]::int8[]
                    FROM crm.customer_work WHERE customer_id = 81
                    """)
            )
        }
        #expect(work == 1)
        #expect(evilRows == 0)
        #expect(deferred == 0, "the isolation level comes from pg_catalog.current_setting: written at once")
        #expect(
            years.allSatisfy { $0 > 2000 && $0 < 3000 }, "timestamps come from pg_catalog, not the decoys: \(years)")
    }
}
