import Foundation

@testable import ShopGenerator

/// FNV-1a over a canonical text form of every row: equal checksums mean equal rows, byte for byte.
struct RowChecksum {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add(_ fields: Any?...) {
        for field in fields {
            let text = field.map { "\($0)" } ?? "\\N"
            for byte in text.utf8 { mix(byte) }
            mix(0x1F)
        }
        mix(0x1E)
    }

    private mutating func mix(_ byte: UInt8) {
        value = (value ^ UInt64(byte)) &* 0x100_0000_01b3
    }

    /// The checksum of every table of `generator`.
    static func of(_ generator: ShopGenerator) -> [String: UInt64] {
        var customers = RowChecksum()
        for c in generator.customers() {
            customers.add(
                c.id, c.email, c.phone, c.name, c.marketingConsent, c.nightConsent, c.createdAt.timeIntervalSince1970)
        }
        var products = RowChecksum()
        for p in generator.products() { products.add(p.id, p.sku, p.name, p.category, p.price) }
        var orders = RowChecksum()
        var items = RowChecksum()
        for o in generator.orders() {
            orders.add(o.id, o.customerId, o.orderedAt.timeIntervalSince1970, o.total, o.status.rawValue, o.couponCode)
            for i in o.items { items.add(i.orderId, i.productId, i.quantity, i.unitPrice) }
        }
        var reviews = RowChecksum()
        for r in generator.reviews() {
            reviews.add(
                r.id, r.customerId, r.productId, r.orderId, r.rating, r.body, r.createdAt.timeIntervalSince1970,
                r.polarity.rawValue, r.aspects.map(\.rawValue).joined(separator: ","))
        }
        return [
            "customers": customers.value, "products": products.value, "orders": orders.value,
            "order_items": items.value, "reviews": reviews.value,
        ]
    }
}
