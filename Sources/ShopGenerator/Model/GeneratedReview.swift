import Foundation

/// One row of `shop.reviews`, with what its text was written to say.
public struct GeneratedReview: Sendable, Equatable, Hashable {
    /// The shop's review id (1-based).
    public var id: Int64
    /// The reviewing customer.
    public var customerId: Int64
    /// The reviewed product.
    public var productId: Int64
    /// The order the product came with; nil for the few reviews written without one.
    public var orderId: Int64?
    /// Star rating 1–5, or nil when the customer gave none.
    public var rating: Int?
    /// The review text (at most ``GeneratedReview/maximumBodyLength`` Unicode scalars; empty only when the
    /// options ask for empty bodies).
    public var body: String
    /// When the review was written (whole seconds; after the order was placed).
    public var createdAt: Date
    /// The sentiment the text was written to express.
    public var polarity: ReviewPolarity
    /// Every aspect the text talks about, praised or criticised, sorted.
    public var aspects: [ReviewAspect]
    /// The aspects the text criticises, sorted (a subset of ``aspects``).
    public var complaints: [ReviewAspect]

    /// The longest body the shop contract accepts, in characters (Unicode scalars, as PostgreSQL counts them).
    public static let maximumBodyLength = 10_000

    /// Creates a review row.
    public init(
        id: Int64, customerId: Int64, productId: Int64, orderId: Int64?, rating: Int?, body: String, createdAt: Date,
        polarity: ReviewPolarity, aspects: [ReviewAspect], complaints: [ReviewAspect]
    ) {
        self.id = id
        self.customerId = customerId
        self.productId = productId
        self.orderId = orderId
        self.rating = rating
        self.body = body
        self.createdAt = createdAt
        self.polarity = polarity
        self.aspects = aspects
        self.complaints = complaints
    }
}
