import Foundation

/// A machine-readable reason behind a customer's state, stored as a JSON object with a `code`
/// (for example `{"code":"negative_review","review_id":123,"probability":0.04}`).
public enum StateReason: Sendable, Equatable {
    /// A negative review that weighs on the customer's state.
    case negativeReview(
        reviewId: Int64, productId: Int64, score: Double, probability: Double?, rating: Int?, aspects: [String],
        daysAgo: Int)
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
    /// A reason whose code this build does not know, kept as stored (written by a newer Ondo sharing the database
    /// during a rolling upgrade): shown and written back as it was, never produced by this build's rules.
    case unrecognized(code: String, fields: [StoredReasonField])

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
        case .unrecognized(let code, _): code
        }
    }

    /// A sentence for people ("negative review #123 about delivery, 2 days ago").
    public var summary: String {
        switch self {
        case .negativeReview(let reviewId, _, let score, let probability, let rating, let aspects, let daysAgo):
            let about = aspects.isEmpty ? "" : " about \(aspects.joined(separator: ", "))"
            // The score blends the text's probability with the stars; naming both shows why it differs from the
            // probability `customer show` lists for the review.
            let text = probability.map { "text \(Self.probabilityText($0))" }
            let sources = [text, rating.map { "\($0)★" }].compactMap { $0 }
            let from = sources.isEmpty ? "" : " from " + sources.joined(separator: " and ")
            return
                "negative review #\(reviewId)\(about) (score \(Self.format(score))\(from)), \(Self.days(daysAgo)) ago"
        case .noOrderDays(let days, let sinceSignup):
            return sinceSignup ? "no order in the \(Self.days(days)) since signup" : "no order for \(Self.days(days))"
        case .highChurnRisk(let risk, let threshold):
            return "churn risk \(Self.format(risk)) ≥ \(Self.format(threshold))"
        case .newCustomer(let daysSinceSignup, let orders):
            return "signed up \(Self.days(daysSinceSignup)) ago, \(orders) order\(orders == 1 ? "" : "s")"
        case .frequentBuyer(let ordersLastYear, let spendLastYear):
            return "\(ordersLastYear) orders in the last year (\(Self.format(spendLastYear, digits: 0)) spent)"
        case .goodSentiment(let score, let reviews):
            return "good review sentiment \(Self.format(score)) over \(reviews) review\(reviews == 1 ? "" : "s")"
        case .lowSentiment(let score, let reviews):
            return "poor review sentiment \(Self.format(score)) over \(reviews) review\(reviews == 1 ? "" : "s")"
        case .recentOrder(let days):
            return "last order \(Self.days(days)) ago"
        case .unrecognized(let code, let fields):
            let details = fields.map { "\($0.key) \($0.value.description)" }.joined(separator: ", ")
            return details.isEmpty ? code : "\(code) (\(details))"
        }
    }

    /// A review's text probability as reasons store and show it: rounded once, to the 4 decimal places a stored
    /// reason keeps, and shown with all 4. `ondo customer show` prints each review's probability with it too, so
    /// that the two agree: 2 digits of the stored 4 rounded twice (a probability of 0.005, stored as a `real`
    /// just below it, read "text 0.01" in the reason and 0.00 in the review's column).
    public static func probabilityText(_ probability: Double) -> String {
        format(rounded(probability), digits: 4)
    }

    private static func days(_ n: Int) -> String { n == 1 ? "1 day" : "\(n) days" }

    private static func format(_ value: Double, digits: Int = 2) -> String {
        String(format: "%.\(digits)f", value)
    }
}

/// The stored JSON keys of a reason.
private enum StateReasonKey: String, CodingKey {
    case code, reviewId = "review_id", productId = "product_id", score, probability, rating, aspects
    case daysAgo = "days_ago", days, since, risk, threshold, daysSinceSignup = "days_since_signup", orders
    case ordersLastYear = "orders_365d", spendLastYear = "spend_365d", reviews
}

/// One value of a stored reason's JSON object.
public enum StoredReasonValue: Sendable, Equatable, CustomStringConvertible {
    case integer(Int64)
    case number(Double)
    case text(String)
    case texts([String])

    /// The value as a person reads it: `3`, `0.25`, `delivery`, `[delivery, price]`.
    public var description: String {
        switch self {
        case .integer(let number): "\(number)"
        case .number(let number): "\(number)"
        case .text(let text): text
        case .texts(let texts): "[\(texts.joined(separator: ", "))]"
        }
    }
}

/// One key and value of a stored reason whose code this build does not know (``StateReason/unrecognized(code:fields:)``).
public struct StoredReasonField: Sendable, Equatable {
    /// The JSON key.
    public var key: String
    /// Its value: a value of another JSON type (true, null, an object, a list of numbers) as its JSON text.
    public var value: StoredReasonValue

    /// A field.
    public init(key: String, value: StoredReasonValue) {
        self.key = key
        self.value = value
    }
}

extension StateReason {
    /// The reason as stored: `code`, then its fields in snake_case, in order; scores, risks and amounts
    /// rounded to 4 decimal places; absent optional fields left out. `Codable` and the store's JSON writer
    /// both write exactly these.
    public var storedFields: [(key: String, value: StoredReasonValue)] {
        if case .unrecognized(let code, let fields) = self {
            return [("code", .text(code))] + fields.filter { $0.key != "code" }.map { ($0.key, $0.value) }
        }
        return fields.map { ($0.key.rawValue, $0.value) }
    }

    fileprivate var fields: [(key: StateReasonKey, value: StoredReasonValue)] {
        var fields: [(key: StateReasonKey, value: StoredReasonValue)] = [(.code, .text(code))]
        switch self {
        case .negativeReview(
            let reviewId, let productId, let score, let probability, let rating, let aspects, let daysAgo):
            fields += [
                (.reviewId, .integer(reviewId)), (.productId, .integer(productId)),
                (.score, .number(Self.rounded(score))),
            ]
            if let probability { fields.append((.probability, .number(Self.rounded(probability)))) }
            if let rating { fields.append((.rating, .integer(Int64(rating)))) }
            fields += [(.aspects, .texts(aspects)), (.daysAgo, .integer(Int64(daysAgo)))]
        case .noOrderDays(let days, let sinceSignup):
            fields += [(.days, .integer(Int64(days))), (.since, .text(sinceSignup ? "signup" : "last_order"))]
        case .highChurnRisk(let risk, let threshold):
            fields += [(.risk, .number(Self.rounded(risk))), (.threshold, .number(threshold))]
        case .newCustomer(let daysSinceSignup, let orders):
            fields += [(.daysSinceSignup, .integer(Int64(daysSinceSignup))), (.orders, .integer(Int64(orders)))]
        case .frequentBuyer(let ordersLastYear, let spendLastYear):
            fields += [
                (.ordersLastYear, .integer(Int64(ordersLastYear))),
                (.spendLastYear, .number(Self.rounded(spendLastYear))),
            ]
        case .goodSentiment(let score, let reviews), .lowSentiment(let score, let reviews):
            fields += [(.score, .number(Self.rounded(score))), (.reviews, .integer(Int64(reviews)))]
        case .recentOrder(let days):
            fields.append((.days, .integer(Int64(days))))
        case .unrecognized:
            break  // its keys are not this build's: ``storedFields`` gives them
        }
        return fields
    }

    private static func rounded(_ value: Double) -> Double { (value * 10_000).rounded() / 10_000 }
}

extension StateReason: Codable {
    /// Encodes a flat object: ``storedFields``, in order.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: StoredReasonKey.self)
        for (name, value) in storedFields {
            let key = StoredReasonKey(name)
            switch value {
            case .integer(let number): try c.encode(number, forKey: key)
            case .number(let number): try c.encode(number, forKey: key)
            case .text(let text): try c.encode(text, forKey: key)
            case .texts(let texts): try c.encode(texts, forKey: key)
            }
        }
    }

    /// Decodes what ``encode(to:)`` wrote; a code this build does not know becomes ``unrecognized(code:fields:)``.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: StateReasonKey.self)
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
                risk: try c.decode(Double.self, forKey: .risk), threshold: try c.decode(Double.self, forKey: .threshold)
            )
        case "new_customer":
            self = .newCustomer(
                daysSinceSignup: try c.decode(Int.self, forKey: .daysSinceSignup),
                orders: try c.decode(Int.self, forKey: .orders))
        case "frequent_buyer":
            self = .frequentBuyer(
                ordersLastYear: try c.decode(Int.self, forKey: .ordersLastYear),
                spendLastYear: try c.decode(Double.self, forKey: .spendLastYear))
        case "good_sentiment":
            self = .goodSentiment(
                score: try c.decode(Double.self, forKey: .score), reviews: try c.decode(Int.self, forKey: .reviews))
        case "low_sentiment":
            self = .lowSentiment(
                score: try c.decode(Double.self, forKey: .score), reviews: try c.decode(Int.self, forKey: .reviews))
        case "recent_order":
            self = .recentOrder(days: try c.decode(Int.self, forKey: .days))
        default:
            self = .unrecognized(code: code, fields: try Self.storedFields(from: decoder))
        }
    }
}
