import Foundation
import Postgres
import ShopGenerator

/// Turns generated rows into the values of ``ShopTable/columns``, with every id moved past the highest ids
/// already in use (so an appended shop references its own customers, products and orders).
struct ShopRowEncoder {
    let after: ShopHighestIds
    /// Products carry no signup-like date of their own: they exist from the start of the generated period.
    let productsCreatedAt: Date

    func customer(_ c: GeneratedCustomer) -> [(any PostgresEncodable)?] {
        [after.customers + c.id, c.email, c.phone, c.name, c.marketingConsent, c.nightConsent, c.createdAt]
    }

    func product(_ p: GeneratedProduct) -> [(any PostgresEncodable)?] {
        [after.products + p.id, p.sku, p.name, p.category, p.priceWon, productsCreatedAt]
    }

    func order(_ o: GeneratedOrder) -> [(any PostgresEncodable)?] {
        [after.orders + o.id, after.customers + o.customerId, o.orderedAt, o.totalWon, o.status.rawValue, o.couponCode]
    }

    func item(_ i: GeneratedOrderItem, id: Int64) -> [(any PostgresEncodable)?] {
        [id, after.orders + i.orderId, after.products + i.productId, i.quantity, i.unitPriceWon]
    }

    func review(_ r: GeneratedReview) -> [(any PostgresEncodable)?] {
        [
            after.reviews + r.id, after.customers + r.customerId, after.products + r.productId,
            r.orderId.map { after.orders + $0 }, r.rating, r.body, r.createdAt,
        ]
    }
}
