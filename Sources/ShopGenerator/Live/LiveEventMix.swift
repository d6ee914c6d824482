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
