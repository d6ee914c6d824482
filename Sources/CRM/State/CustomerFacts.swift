import Foundation

/// Everything the state rules look at for one customer, read from the shop's data at one moment.
public struct CustomerFacts: Sendable, Equatable {
    /// The shop's customer id.
    public var customerId: Int64
    /// When the customer signed up (`shop.customers.created_at`).
    public var signedUpAt: Date
    /// Aggregates over the customer's orders (cancelled and refunded ones excluded).
    public var purchases: PurchaseSummary
    /// The customer's reviews that still carry weight (the store may leave out very old ones).
    public var reviews: [ReviewFact]
    /// The earliest time of an order or review dated too far after the evaluation time to count yet (a mistaken
    /// date or time zone; the store lets a few minutes of clock skew count at once): the facts leave it out until
    /// then, and the scheduler looks again at that moment; nil when there is none.
    public var nextDatedAt: Date?

    /// Creates the facts for one customer.
    public init(
        customerId: Int64, signedUpAt: Date, purchases: PurchaseSummary, reviews: [ReviewFact], nextDatedAt: Date? = nil
    ) {
        self.customerId = customerId
        self.signedUpAt = signedUpAt
        self.purchases = purchases
        self.reviews = reviews
        self.nextDatedAt = nextDatedAt
    }
}

/// Recency, frequency and monetary value of a customer's orders.
public struct PurchaseSummary: Sendable, Equatable {
    /// Time of the most recent order; nil when the customer never ordered.
    public var lastOrderAt: Date?
    /// Orders in the 365 days before the evaluation time.
    public var ordersLastYear: Int
    /// Money spent in the 365 days before the evaluation time.
    public var spendLastYear: Double
    /// Orders ever.
    public var totalOrders: Int
    /// Time of the oldest of the orders in the last year: 365 days later `ordersLastYear` drops by time alone
    /// (which can end loyalty); nil when there is none or it is not known.
    public var oldestOrderLastYearAt: Date?

    /// A customer who never ordered.
    public static let none = PurchaseSummary(lastOrderAt: nil, ordersLastYear: 0, spendLastYear: 0, totalOrders: 0)

    /// Creates a purchase summary.
    public init(
        lastOrderAt: Date?, ordersLastYear: Int, spendLastYear: Double, totalOrders: Int,
        oldestOrderLastYearAt: Date? = nil
    ) {
        self.lastOrderAt = lastOrderAt
        self.ordersLastYear = ordersLastYear
        self.spendLastYear = spendLastYear
        self.totalOrders = totalOrders
        self.oldestOrderLastYearAt = oldestOrderLastYearAt
    }
}

/// One review as the state rules see it: its scores, its date and what it complains about.
public struct ReviewFact: Sendable, Equatable {
    /// The shop's review id.
    public var reviewId: Int64
    /// The reviewed product.
    public var productId: Int64
    /// Star rating 1–5, or nil when the shop has none.
    public var rating: Int?
    /// The sentiment model's probability that the text is positive; nil when the text was not scored.
    public var probability: Double?
    /// When the review was written.
    public var writtenAt: Date
    /// Complaint aspects found in the text (`delivery`, `quality`, …).
    public var aspects: [String]

    /// Creates a review fact.
    public init(
        reviewId: Int64, productId: Int64, rating: Int?, probability: Double?, writtenAt: Date, aspects: [String] = []
    ) {
        self.reviewId = reviewId
        self.productId = productId
        self.rating = rating
        self.probability = probability
        self.writtenAt = writtenAt
        self.aspects = aspects
    }
}
