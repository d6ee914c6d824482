import Foundation
import Postgres
import TestSupport

/// A review inserted as the shop, and how long the pipeline took to score it: the pickup the pooler tests measure.
enum ReviewPickup {
    /// Inserts review `id` (customer `id`, product 1, a sample text) on `shop`, then polls every 5 ms until its
    /// sentiment row exists or `patience` seconds have passed; returns the seconds since the insert committed.
    static func insertAndWait(id: Int64, on shop: PostgresConnection, patience: Double) throws -> Double {
        let sample = SampleReviews.all[Int(id) % SampleReviews.all.count]
        try shop.execute(
            """
            INSERT INTO shop.reviews (id, customer_id, product_id, rating, body)
            VALUES (\(id), \(id), 1, \(sample.rating), \(sample.body))
            """)
        let committed = Date()
        while Date().timeIntervalSince(committed) < patience {
            let scored = try shop.queryValue(
                Int.self, "SELECT count(*) FROM crm.review_sentiment WHERE review_id = \(id)")
            if scored > 0 { break }
            Thread.sleep(forTimeInterval: 0.005)
        }
        return Date().timeIntervalSince(committed)
    }
}
