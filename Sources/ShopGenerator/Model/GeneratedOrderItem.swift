import Foundation

/// One row of `shop.order_items`.
public struct GeneratedOrderItem: Sendable, Equatable, Hashable {
    /// The order this line belongs to.
    public var orderId: Int64
    /// The product bought.
    public var productId: Int64
    /// How many units (at least 1).
    public var quantity: Int
    /// The price paid per unit in whole won (the list price, or a sale price below it).
    public var unitPriceWon: Int64

    /// The price paid per unit, as the `numeric` column takes it.
    public var unitPrice: Decimal { Decimal(unitPriceWon) }

    /// Creates an order line.
    public init(orderId: Int64, productId: Int64, quantity: Int, unitPriceWon: Int64) {
        self.orderId = orderId
        self.productId = productId
        self.quantity = quantity
        self.unitPriceWon = unitPriceWon
    }
}
