import Foundation

/// A machine-readable reason behind a customer's state, stored as a JSON object with a `code`
/// (for example `{"code":"negative_review","review_id":123,"probability":0.04}`).
public enum StateReason: Sendable, Equatable {
    /// A negative review that weighs on the customer's state.
    case negativeReview(reviewId: Int64, productId: Int64, score: Double, probability: Double?, rating: Int?, aspects: [String], daysAgo: Int)
    /// Days without an order, counted from the last order or, for customers who never ordered, from signup.
    case noOrderDays(days: Int, sinceSignup: Bool)
    /// The churn risk reached the at-risk threshold.
    case highChurnRisk(risk: Double, threshold: Double)
    /// A recent signup with at most one order.
    case newCustomer(daysSinceSignup: Int, orders: Int)
    /// Many orders in the last year.
    case frequentBuyer(ordersLastYear: Int, spendLastYear: Double)
    /// The time-weighted review sentiment is good.
    case goodSentiment(score: Double, reviews: Int)
    /// The time-weighted review sentiment is poor.
    case lowSentiment(score: Double, reviews: Int)
    /// The customer ordered recently.
    case recentOrder(days: Int)

    /// The stable code stored in the `code` key.
    public var code: String {
        switch self {
        case .negativeReview: "negative_review"
        case .noOrderDays: "no_order_days"
        case .highChurnRisk: "high_churn_risk"
        case .newCustomer: "new_customer"
        case .frequentBuyer: "frequent_buyer"
        case .goodSentiment: "good_sentiment"
        case .lowSentiment: "low_sentiment"
        case .recentOrder: "recent_order"
        }
    }

    /// A sentence for people ("negative review #123 about delivery, 2 days ago").
    public var summary: String {
        switch self {
        case let .negativeReview(reviewId, _, score, _, rating, aspects, daysAgo):
            let about = aspects.isEmpty ? "" : " about \(aspects.joined(separator: ", "))"
            let stars = rating.map { ", \($0)★" } ?? ""
            return "negative review #\(reviewId)\(about) (score \(Self.format(score))\(stars)), \(Self.days(daysAgo)) ago"
        case let .noOrderDays(days, sinceSignup):
            return sinceSignup ? "no order in the \(Self.days(days)) since signup" : "no order for \(Self.days(days))"
        case let .highChurnRisk(risk, threshold):
            return "churn risk \(Self.format(risk)) ≥ \(Self.format(threshold))"
        case let .newCustomer(daysSinceSignup, orders):
            return "signed up \(Self.days(daysSinceSignup)) ago, \(orders) order\(orders == 1 ? "" : "s")"
        case let .frequentBuyer(ordersLastYear, spendLastYear):
            return "\(ordersLastYear) orders in the last year (\(Self.format(spendLastYear, digits: 0)) spent)"
        case let .goodSentiment(score, reviews):
            return "good review sentiment \(Self.format(score)) over \(reviews) review\(reviews == 1 ? "" : "s")"
        case let .lowSentiment(score, reviews):
            return "poor review sentiment \(Self.format(score)) over \(reviews) review\(reviews == 1 ? "" : "s")"
        case let .recentOrder(days):
            return "last order \(Self.days(days)) ago"
        }
    }

    private static func days(_ n: Int) -> String { n == 1 ? "1 day" : "\(n) days" }

    private static func format(_ value: Double, digits: Int = 2) -> String {
        String(format: "%.\(digits)f", value)
    }
}

extension StateReason: Codable {
    private enum Key: String, CodingKey {
        case code, reviewId = "review_id", productId = "product_id", score, probability, rating, aspects
        case daysAgo = "days_ago", days, since, risk, threshold, daysSinceSignup = "days_since_signup", orders
        case ordersLastYear = "orders_365d", spendLastYear = "spend_365d", reviews
    }

    /// Encodes a flat object: `code` plus the reason's fields in snake_case; scores rounded to 4 digits.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(code, forKey: .code)
        switch self {
        case let .negativeReview(reviewId, productId, score, probability, rating, aspects, daysAgo):
            try c.encode(reviewId, forKey: .reviewId)
            try c.encode(productId, forKey: .productId)
            try c.encode(Self.rounded(score), forKey: .score)
            try c.encodeIfPresent(probability.map(Self.rounded), forKey: .probability)
            try c.encodeIfPresent(rating, forKey: .rating)
            try c.encode(aspects, forKey: .aspects)
            try c.encode(daysAgo, forKey: .daysAgo)
        case let .noOrderDays(days, sinceSignup):
            try c.encode(days, forKey: .days)
            try c.encode(sinceSignup ? "signup" : "last_order", forKey: .since)
        case let .highChurnRisk(risk, threshold):
            try c.encode(Self.rounded(risk), forKey: .risk)
            try c.encode(threshold, forKey: .threshold)
        case let .newCustomer(daysSinceSignup, orders):
            try c.encode(daysSinceSignup, forKey: .daysSinceSignup)
            try c.encode(orders, forKey: .orders)
        case let .frequentBuyer(ordersLastYear, spendLastYear):
            try c.encode(ordersLastYear, forKey: .ordersLastYear)
            try c.encode(Self.rounded(spendLastYear), forKey: .spendLastYear)
        case let .goodSentiment(score, reviews), let .lowSentiment(score, reviews):
            try c.encode(Self.rounded(score), forKey: .score)
            try c.encode(reviews, forKey: .reviews)
        case let .recentOrder(days):
            try c.encode(days, forKey: .days)
        }
    }

    /// Decodes what ``encode(to:)`` wrote; an unknown code is a decoding error.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        let code = try c.decode(String.self, forKey: .code)
        switch code {
        case "negative_review":
            self = .negativeReview(
                reviewId: try c.decode(Int64.self, forKey: .reviewId),
                productId: try c.decode(Int64.self, forKey: .productId),
                score: try c.decode(Double.self, forKey: .score),
                probability: try c.decodeIfPresent(Double.self, forKey: .probability),
                rating: try c.decodeIfPresent(Int.self, forKey: .rating),
                aspects: try c.decode([String].self, forKey: .aspects),
                daysAgo: try c.decode(Int.self, forKey: .daysAgo))
        case "no_order_days":
            self = .noOrderDays(
                days: try c.decode(Int.self, forKey: .days),
                sinceSignup: try c.decode(String.self, forKey: .since) == "signup")
        case "high_churn_risk":
            self = .highChurnRisk(
                risk: try c.decode(Double.self, forKey: .risk), threshold: try c.decode(Double.self, forKey: .threshold))
        case "new_customer":
            self = .newCustomer(
                daysSinceSignup: try c.decode(Int.self, forKey: .daysSinceSignup),
                orders: try c.decode(Int.self, forKey: .orders))
        case "frequent_buyer":
            self = .frequentBuyer(
                ordersLastYear: try c.decode(Int.self, forKey: .ordersLastYear),
                spendLastYear: try c.decode(Double.self, forKey: .spendLastYear))
        case "good_sentiment":
            self = .goodSentiment(score: try c.decode(Double.self, forKey: .score), reviews: try c.decode(Int.self, forKey: .reviews))
        case "low_sentiment":
            self = .lowSentiment(score: try c.decode(Double.self, forKey: .score), reviews: try c.decode(Int.self, forKey: .reviews))
        case "recent_order":
            self = .recentOrder(days: try c.decode(Int.self, forKey: .days))
        default:
            throw DecodingError.dataCorruptedError(forKey: .code, in: c, debugDescription: "unknown reason code \(code)")
        }
    }

    /// Scores, risks and amounts are stored rounded to 4 decimal places.
    public static func rounded(_ value: Double) -> Double { (value * 10_000).rounded() / 10_000 }
}
