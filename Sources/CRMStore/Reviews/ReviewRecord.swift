import Foundation
import Postgres

/// A shop review as the pipeline reads it, with whether its customer and product are known yet.
public struct ReviewRecord: Sendable, Equatable {
    /// The shop's review id.
    public var id: Int64
    /// The reviewer.
    public var customerId: Int64
    /// The reviewed product.
    public var productId: Int64
    /// 1–5 stars or nil.
    public var rating: Int?
    /// The text.
    public var body: String
    /// When the shop says it was written.
    public var createdAt: Date
    /// A `shop.customers` row exists for `customerId`.
    public var customerKnown: Bool
    /// A `shop.products` row exists for `productId`.
    public var productKnown: Bool

    /// Creates a record (tests build them by hand).
    public init(
        id: Int64, customerId: Int64, productId: Int64, rating: Int?, body: String, createdAt: Date,
        customerKnown: Bool, productKnown: Bool
    ) {
        self.id = id
        self.customerId = customerId
        self.productId = productId
        self.rating = rating
        self.body = body
        self.createdAt = createdAt
        self.customerKnown = customerKnown
        self.productKnown = productKnown
    }

    /// Reads the reviews with these ids; ids without a row (the shop deleted the review) are absent. Planned for
    /// each call, not prepared: a generic plan made while the table was young scans it whole for every batch (see
    /// ``WorkQueue``).
    public static func load(_ ids: [Int64], on connection: PostgresConnection) throws -> [Int64: ReviewRecord] {
        let rows = try connection.query(
            """
            SELECT r.id, r.customer_id, r.product_id, r.rating, r.body, r.created_at,
                   EXISTS (SELECT 1 FROM shop.customers AS c WHERE c.id = r.customer_id) AS customer_known,
                   EXISTS (SELECT 1 FROM shop.products AS p WHERE p.id = r.product_id) AS product_known
            FROM shop.reviews AS r WHERE r.id = ANY(\(ids))
            """)
        var records: [Int64: ReviewRecord] = [:]
        for row in rows {
            let record = ReviewRecord(
                id: try row.decode(Int64.self, "id"), customerId: try row.decode(Int64.self, "customer_id"),
                productId: try row.decode(Int64.self, "product_id"), rating: try row.decode(Int?.self, "rating"),
                body: try row.decode(String.self, "body"), createdAt: try row.decode(Date.self, "created_at"),
                customerKnown: try row.decode(Bool.self, "customer_known"),
                productKnown: try row.decode(Bool.self, "product_known"))
            records[record.id] = record
        }
        return records
    }
}
