import Foundation

/// One thing that happens in the live shop, to be inserted when its time comes.
public enum ShopEvent: Sendable, Equatable, Hashable {
    /// A customer signs up.
    case customer(GeneratedCustomer)
    /// A customer places an order (status `paid`).
    case order(GeneratedOrder)
    /// A customer reviews a product of one of their earlier orders.
    case review(GeneratedReview)

    /// When the event happens.
    public var timestamp: Date {
        switch self {
        case .customer(let customer): customer.createdAt
        case .order(let order): order.orderedAt
        case .review(let review): review.createdAt
        }
    }
}

/// How the events of a live shop divide among sign-ups, orders and reviews (relative weights).
public struct LiveEventMix: Sendable, Equatable {
    /// Weight of new customers.
    public var customers: Double
    /// Weight of new orders.
    public var orders: Double
    /// Weight of new reviews (an order is placed instead while no order awaits a review).
    public var reviews: Double

    /// The default mix: 10 % sign-ups, 45 % orders, 45 % reviews.
    public static let standard = LiveEventMix(customers: 10, orders: 45, reviews: 45)

    /// A mix from relative weights.
    public init(customers: Double, orders: Double, reviews: Double) {
        self.customers = customers
        self.orders = orders
        self.reviews = reviews
    }
}
