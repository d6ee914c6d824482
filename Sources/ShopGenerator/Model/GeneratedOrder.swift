import Foundation

/// One row of `shop.orders` with its rows of `shop.order_items`.
public struct GeneratedOrder: Sendable, Equatable, Hashable {
    /// The shop's order id (1-based).
    public var id: Int64
    /// The ordering customer; the order is placed after the customer signed up.
    public var customerId: Int64
    /// When the order was placed (whole seconds).
    public var orderedAt: Date
    /// What the customer paid in whole won: the items' sum minus the coupon's discount.
    public var totalWon: Int64
    /// Where the order stands at the end of the generated period.
    public var status: OrderStatus
    /// The redeemed coupon, if any.
    public var couponCode: String?
    /// The order's lines, one per distinct product.
    public var items: [GeneratedOrderItem]

    /// What the customer paid, as the `numeric` column takes it.
    public var total: Decimal { Decimal(totalWon) }

    /// Creates an order row.
    public init(
        id: Int64, customerId: Int64, orderedAt: Date, totalWon: Int64, status: OrderStatus, couponCode: String?,
        items: [GeneratedOrderItem]
    ) {
        self.id = id
        self.customerId = customerId
        self.orderedAt = orderedAt
        self.totalWon = totalWon
        self.status = status
        self.couponCode = couponCode
        self.items = items
    }
}
