import CRMStore
import Foundation
import Postgres
import TestSupport
import Testing

/// A customer who arrives while a review of theirs is in flight does not leave that review quarantined for
/// good (review finding D2, migration 0012), whichever of the worker's write and the shop's insert comes first.
@Suite struct InFlightRequeueTests {
    private let queue = WorkQueue(.reviews)

    private func insertReview(_ id: Int64, customer: Int64, into db: TestDatabase) async throws {
        try await db.withConnection(as: .shop) { shop in
            try shop.execute("INSERT INTO shop.products (id, sku, name, category, price) VALUES (5, 'SKU-5', '셔츠', 'clothing', 30000) ON CONFLICT DO NOTHING")
            try shop.execute("INSERT INTO shop.reviews (id, customer_id, product_id, rating, body) VALUES (\(id), \(customer), 5, 1, '별로예요')")
        }
    }

    private func insertCustomer(_ id: Int64, into db: TestDatabase) async throws {
        try await db.withConnection(as: .shop) { shop in
            try shop.execute("INSERT INTO shop.customers (id, name, created_at) VALUES (\(id), '고객', now())")
        }
    }

    private func status(of review: Int64, in db: TestDatabase) async throws -> String {
        try await db.withConnection { admin in
            try admin.queryValue(String.self, "SELECT status FROM crm.review_work WHERE review_id = \(review)")
        }
    }

    /// The customer's insert commits while the worker scores: the worker's write is fenced off and the review
    /// is pending again, to be claimed with its customer in place.
    @Test func theCustomerArrivingBeforeTheWorkerWritesFencesTheWorkerOff() async throws {
        let db = try await TestPostgres.shared.database("InFlightRequeueBefore")
        try await insertReview(3001, customer: 31, into: db)
        let token = UUID()
        let claimed = try await db.withConnection(as: .app) { app in
            try queue.claim(limit: 10, leaseSeconds: 30, token: token, on: app).map(\.key)
        }
        #expect(claimed == [3001])
        try await insertCustomer(31, into: db)
        let owned = try await db.withConnection(as: .app) { app in
            try app.withTransaction { try queue.lockLeased([3001], token: token, on: $0) }
        }
        #expect(owned.isEmpty)
        #expect(try await status(of: 3001, in: db) == "pending")
    }

    /// The worker is writing the review quarantined (it holds the work row) when the customer's insert runs:
    /// the insert waits for the worker's commit and then re-queues the quarantined review.
    @Test func theCustomerArrivingWhileTheWorkerWritesRequeuesTheQuarantinedReview() async throws {
        let db = try await TestPostgres.shared.database("InFlightRequeueDuring")
        try await insertReview(3002, customer: 32, into: db)
        let token = UUID()
        let worker = try db.connect(as: .app)
        defer { worker.close() }
        #expect(try queue.claim(limit: 10, leaseSeconds: 30, token: token, on: worker).map(\.key) == [3002])

        // The worker's write transaction, as ReviewResultStore writes a quarantined review, left open.
        try worker.execute("BEGIN")
        #expect(try queue.lockLeased([3002], token: token, on: worker) == [3002])
        try worker.execute("""
            INSERT INTO crm.review_quarantine (review_id, customer_id, product_id, revision, reason, detail)
            VALUES (3002, 32, 5, 1, 'unknown_customer', 'no customer 32 after 3 attempts')
            """)
        try queue.complete([3002], token: token, on: worker)

        let signup = Task { try await insertCustomer(32, into: db) }
        try await Task.sleep(for: .milliseconds(300))
        try worker.execute("COMMIT")
        try await signup.value
        #expect(try await status(of: 3002, in: db) == "pending")
    }
}
