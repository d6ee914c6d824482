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
