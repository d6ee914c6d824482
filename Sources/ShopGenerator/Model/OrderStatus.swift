/// The status of a generated order; raw values are the values of `shop.orders.status`.
public enum OrderStatus: String, Sendable, CaseIterable, Codable {
    /// Paid, not yet shipped.
    case paid
    /// On its way.
    case shipped
    /// Received by the customer.
    case delivered
    /// Cancelled before shipping.
    case cancelled
    /// Returned and refunded.
    case refunded

    /// Whether the customer received the goods and can review them.
    public var isReviewable: Bool { self == .delivered || self == .refunded }
}
