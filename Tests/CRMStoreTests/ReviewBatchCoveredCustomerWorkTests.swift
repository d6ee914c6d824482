import CRM
import CRMStore
import Foundation
import Postgres
import TestSupport
import Testing

/// A review batch recomputes its customers' states from facts read after their locks were taken: customer work
/// queued before that read (a signup, an order) is covered by it, and completed in the same transaction instead of
/// being claimed later for a second recompute of the same facts. Work a server holds a lease on is left to it.
@Suite struct ReviewBatchCoveredCustomerWorkTests {
    private let reviews = WorkQueue(.reviews)
    private let customers = WorkQueue(.customers)

    @Test func aReviewBatchCompletesThePendingCustomerWorkItsRecomputeCovered() async throws {
        let db = try await TestPostgres.shared.freshDatabase("ReviewBatchCoveredCustomerWork")
        try await db.withConnection(as: .shop) { shop in
            try shop.execute(
                "INSERT INTO shop.products (id, sku, name, category, price) VALUES (5, 'SKU-5', '셔츠', 'clothing', 30000)"
            )
            // Each signup queues customer work for its customer.
            try shop.execute(
                "INSERT INTO shop.customers (id, name, created_at) VALUES (61, '고객', now()), (62, '고객', now())")
            try shop.execute(
                """
                INSERT INTO shop.reviews (id, customer_id, product_id, rating, body)
                VALUES (6101, 61, 5, 1, '배송이 너무 늦어요'), (6201, 62, 5, 5, '좋아요')
                """)
        }
        let store = ReviewResultStore.forTests
        let worker = try db.connect(as: .app)
        defer { worker.close() }

        // Another server has claimed both customers' work and given 61's back (as a shutdown would).
        let otherServer = UUID()
        #expect(
            try customers.claim(limit: 10, leaseSeconds: 30, token: otherServer, on: worker).map(\.key).sorted() == [
                61, 62,
            ])
        try worker.execute(
            """
            UPDATE crm.customer_work SET status = 'pending', lease_token = NULL, lease_expires_at = NULL
            WHERE customer_id = 61
            """)

        let token = UUID()
        let claimed = try reviews.claim(limit: 10, leaseSeconds: 30, token: token, on: worker)
        let records = try ReviewRecord.load(claimed.map(\.key), on: worker)
        let verdicts = claimed.map { work in
            ReviewVerdict(work: work, review: records[work.key], outcome: .scored(probability: 0.2, aspects: []))
        }
        let outcome = try store.apply(verdicts, token: token, on: worker)
        #expect(outcome.completed.sorted() == [6101, 6201])
        #expect(outcome.customerWorkCompleted == [61])

        let statuses = try worker.query("SELECT customer_id, status FROM crm.customer_work ORDER BY customer_id")
            .map { "\(try $0.decode(Int64.self, "customer_id")):\(try $0.decode(String.self, "status"))" }
        #expect(statuses == ["61:completed", "62:processing"])
    }
}
