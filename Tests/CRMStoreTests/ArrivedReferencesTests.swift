import CRM
@testable import CRMStore
import Foundation
import Postgres
import TestSupport
import Testing

/// The worker's re-check of a review it read while its customer or product was missing (review follow-up H2.1):
/// only reviews leased under the worker's token whose customer and product both exist now go back to pending,
/// claimable at once with their attempts reset.
@Suite struct ArrivedReferencesTests {
    private let queue = WorkQueue(.reviews)

    @Test func onlyHeldReviewsWhoseCustomerAndProductExistNowAreRequeued() async throws {
        let db = try await TestPostgres.shared.database("ArrivedReferences")
        try await db.withConnection(as: .shop) { shop in
            try shop.execute(
                "INSERT INTO shop.products (id, sku, name, category, price) VALUES (5, 'SKU-5', '셔츠', 'clothing', 30000)"
            )
            // 4001 waits for customer 41, 4002 for customer 42, 4003 for product 7 (and customer 41).
            try shop.execute(
                """
                INSERT INTO shop.reviews (id, customer_id, product_id, rating, body)
                VALUES (4001, 41, 5, 1, '별로예요'), (4002, 42, 5, 1, '별로예요'), (4003, 41, 7, 1, '별로예요')
                """)
        }
        let token = UUID()
        let worker = try db.connect(as: .app)
        defer { worker.close() }
        #expect(
            try queue.claim(limit: 10, leaseSeconds: 30, token: token, on: worker).map(\.key).sorted() == [
                4001, 4002, 4003,
            ])
        try await db.withConnection(as: .shop) { shop in
            try shop.execute("INSERT INTO shop.customers (id, name, created_at) VALUES (41, '고객', now())")
        }

        let requeuedUnderAnotherToken = try worker.withTransaction(.readCommitted) {
            try ArrivedReferences.requeue([4001, 4002, 4003], token: UUID(), on: $0)
        }
        #expect(requeuedUnderAnotherToken.isEmpty, "a lease that is not the caller's is left alone")
        let requeued = try worker.withTransaction(.readCommitted) {
            try ArrivedReferences.requeue([4001, 4002, 4003], token: token, on: $0)
        }
        #expect(requeued == [4001])
        let rows = try worker.query(
            """
            SELECT review_id, status, attempts, available_at <= now() AS claimable, lease_token IS NULL AS unleased
            FROM crm.review_work ORDER BY review_id
            """
        ).map {
            "\(try $0.decode(Int64.self, "review_id")):\(try $0.decode(String.self, "status")):"
                + "\(try $0.decode(Int.self, "attempts")):\(try $0.decode(Bool.self, "claimable")):"
                + "\(try $0.decode(Bool.self, "unleased"))"
        }
        #expect(
            rows == [
                "4001:pending:0:true:true", "4002:processing:1:true:false", "4003:processing:1:true:false",
            ])
    }
}
