import CRM
@testable import CRMStore
import Foundation
import Postgres
import TestSupport
import Testing

/// A customer who arrives while a review of theirs is in flight does not leave that review quarantined for
/// good (review finding D2): the shop's trigger cannot see it, the lease sweeper's catch-up re-queues it; the
/// same for a product.
@Suite struct QuarantineCatchUpTests {
    private let queue = WorkQueue(.reviews)

    @Test func aReviewQuarantinedWhileItsCustomerArrivedIsRequeuedByTheCatchUp() async throws {
        let db = try await TestPostgres.shared.database("QuarantineCatchUp")
        try await db.withConnection(as: .shop) { shop in
            try shop.execute(
                "INSERT INTO shop.products (id, sku, name, category, price) VALUES (5, 'SKU-5', '셔츠', 'clothing', 30000)"
            )
            try shop.execute(
                """
                INSERT INTO shop.reviews (id, customer_id, product_id, rating, body)
                VALUES (3001, 31, 5, 1, '별로예요'), (3002, 32, 5, 1, '별로예요'), (3003, 33, 5, 1, ''), (3004, 31, 6, 1, '별로예요')
                """)
        }
        let token = UUID()
        let worker = try db.connect(as: .app)
        defer { worker.close() }
        #expect(
            try queue.claim(limit: 10, leaseSeconds: 30, token: token, on: worker).map(\.key).sorted() == [
                3001, 3002, 3003, 3004,
            ])

        // The worker read the reviews with customers 31 and 32 and product 6 missing; customer 31 and product 6
        // arrive before it writes (their triggers find nothing to re-queue: the reviews are in flight); 32 never
        // does. 3003 has an empty body.
        try await db.withConnection(as: .shop) { shop in
            try shop.execute("INSERT INTO shop.customers (id, name, created_at) VALUES (31, '고객', now())")
            try shop.execute(
                "INSERT INTO shop.products (id, sku, name, category, price) VALUES (6, 'SKU-6', '바지', 'clothing', 40000)"
            )
        }
        try worker.withTransaction { worker in
            #expect(
                try queue.lockLeased([3001, 3002, 3003, 3004], token: token, on: worker) == [3001, 3002, 3003, 3004])
            try worker.execute(
                """
                INSERT INTO crm.review_quarantine (review_id, customer_id, product_id, revision, reason, detail)
                VALUES (3001, 31, 5, 1, 'unknown_customer', 'no customer 31 after 3 attempts'),
                       (3002, 32, 5, 1, 'unknown_customer', 'no customer 32 after 3 attempts'),
                       (3003, 33, 5, 1, 'empty_body', 'the body has no visible text'),
                       (3004, 31, 6, 1, 'unknown_product', 'no product 6 after 3 attempts')
                """)
            try queue.complete([3001, 3002, 3003, 3004], token: token, on: worker)
        }

        #expect(try QuarantineCatchUp.requeueResolved(on: worker) == 2)
        let statuses = try worker.query("SELECT review_id, status FROM crm.review_work ORDER BY review_id")
            .map { "\(try $0.decode(Int64.self, "review_id")):\(try $0.decode(String.self, "status"))" }
        #expect(statuses == ["3001:pending", "3002:completed", "3003:completed", "3004:pending"])
        #expect(try QuarantineCatchUp.requeueResolved(on: worker) == 0, "nothing more to re-queue")
    }

    /// A review that no longer exists while it is quarantined for an unknown customer (the shop gave it another id,
    /// or an operator deleted it) was re-queued once the customer arrived, found missing and completed with no
    /// effect, but its quarantine row stayed: the catch-up re-queued it again on every sweep of every process, for
    /// good. A vanished review's quarantine and score rows now go with it.
    @Test func aReviewThatVanishedIsNotRequeuedOnEverySweep() async throws {
        let db = try await TestPostgres.shared.freshDatabase("QuarantineCatchUpVanished")
        try await db.withConnection(as: .shop) { shop in
            try shop.execute(
                "INSERT INTO shop.products (id, sku, name, category, price) VALUES (5, 'SKU-5', '셔츠', 'clothing', 30000)"
            )
            try shop.execute(
                "INSERT INTO shop.reviews (id, customer_id, product_id, rating, body) VALUES (3101, 41, 5, 1, '별로예요')")
        }
        let store = ReviewResultStore.forTests
        let worker = try db.connect(as: .app)
        defer { worker.close() }

        // Quarantined: customer 41 is not in the shop's table.
        let first = UUID()
        let claimed = try queue.claim(limit: 10, leaseSeconds: 30, token: first, on: worker)
        let review = try #require(try ReviewRecord.load(claimed.map(\.key), on: worker)[3101])
        let quarantined = try store.apply(
            [ReviewVerdict(work: claimed[0], review: review, outcome: .quarantined(.unknownCustomer, detail: "test"))],
            token: first, on: worker)
        #expect(quarantined.completed == [3101])

        // The shop gives the review another id (queued anew under it), then inserts the customer, whose trigger
        // re-queues the quarantined old id.
        try await db.withConnection(as: .shop) { shop in
            try shop.execute("UPDATE shop.reviews SET id = 3102 WHERE id = 3101")
            try shop.execute("INSERT INTO shop.customers (id, name, created_at) VALUES (41, '고객', now())")
        }
        let second = UUID()
        let again = try queue.claim(limit: 10, leaseSeconds: 30, token: second, on: worker)
        #expect(again.map(\.key).sorted() == [3101, 3102])
        let records = try ReviewRecord.load(again.map(\.key), on: worker)
        #expect(records[3101] == nil && records[3102] != nil)
        let verdicts = again.map { work in
            records[work.key].map {
                ReviewVerdict(work: work, review: $0, outcome: .scored(probability: 0.1, aspects: []))
            } ?? ReviewVerdict(work: work, review: nil, outcome: .vanished)
        }
        #expect(try store.apply(verdicts, token: second, on: worker).completed.sorted() == [3101, 3102])

        #expect(try QuarantineCatchUp.requeueResolved(on: worker) == 0, "the vanished review is not re-queued")
        #expect(
            try worker.queryValue(Int.self, "SELECT count(*) FROM crm.review_quarantine WHERE review_id = 3101") == 0)
    }

    /// The catch-up runs on every sweep of every process, and the quarantine mostly holds reviews with an empty
    /// body that stay there for good: it must not read those (migration 0016's index). Before, with 300,000 of
    /// them, one sweep took 507 ms.
    @Test func theCatchUpDoesNotReadReviewsQuarantinedForGood() async throws {
        let db = try await TestPostgres.shared.database("QuarantineCatchUpScan")
        try await db.withConnection(as: .admin) { admin in
            try admin.execute(
                """
                INSERT INTO crm.review_work (review_id, customer_id, status, completed_at)
                SELECT id, id, 'completed', now() FROM generate_series(1, 20000) AS id
                """)
            try admin.execute(
                """
                INSERT INTO crm.review_quarantine (review_id, customer_id, product_id, revision, reason)
                SELECT id, id, 1, 1, CASE WHEN id % 1000 = 0 THEN 'unknown_customer' ELSE 'empty_body' END
                FROM generate_series(1, 20000) AS id
                """)
            try admin.execute("ANALYZE crm.review_quarantine")
            try admin.execute("ANALYZE crm.review_work")
        }
        let worker = try db.connect(as: .app)
        defer { worker.close() }
        let plan = try worker.query("EXPLAIN (FORMAT JSON) " + QuarantineCatchUp.requeueStatement)
            .map { try $0.decode(String.self, "QUERY PLAN") }.joined()
        #expect(plan.contains("review_quarantine_unknown_reference_idx"), "\(plan)")
        #expect(!plan.contains("\"Seq Scan\""), "\(plan)")
        #expect(try QuarantineCatchUp.requeueResolved(on: worker) == 0)
        try await db.withConnection(as: .shop) { shop in
            try shop.execute("INSERT INTO shop.customers (id, name, created_at) VALUES (7000, '고객', now())")
        }
        // The shop's trigger re-queued review 7000 at once; the catch-up finds nothing left to do.
        #expect(try QuarantineCatchUp.requeueResolved(on: worker) == 0)
        let status = try worker.query("SELECT status FROM crm.review_work WHERE review_id = 7000")
            .map { try $0.decode(String.self, "status") }
        #expect(status == ["pending"])
    }
}
