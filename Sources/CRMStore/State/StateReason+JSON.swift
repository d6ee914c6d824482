import CRM
import Postgres

extension StateReason: JSONWritable {
    /// Writes the same object as `encode(to:)` (a test holds the two together), without `JSONEncoder`'s cost
    /// on every recomputed customer.
    public func write(to json: inout JSONWriter) {
        json.object { json in
            json.field("code", code)
            switch self {
            case let .negativeReview(reviewId, productId, score, probability, rating, aspects, daysAgo):
                json.field("review_id", reviewId)
                json.field("product_id", productId)
                json.field("score", Self.rounded(score))
                if let probability { json.field("probability", Self.rounded(probability)) }
                if let rating { json.field("rating", rating) }
                json.field("aspects", aspects)
                json.field("days_ago", daysAgo)
            case let .noOrderDays(days, sinceSignup):
                json.field("days", days)
                json.field("since", sinceSignup ? "signup" : "last_order")
            case let .highChurnRisk(risk, threshold):
                json.field("risk", Self.rounded(risk))
                json.field("threshold", threshold)
            case let .newCustomer(daysSinceSignup, orders):
                json.field("days_since_signup", daysSinceSignup)
                json.field("orders", orders)
            case let .frequentBuyer(ordersLastYear, spendLastYear):
                json.field("orders_365d", ordersLastYear)
                json.field("spend_365d", Self.rounded(spendLastYear))
            case let .goodSentiment(score, reviews), let .lowSentiment(score, reviews):
                json.field("score", Self.rounded(score))
                json.field("reviews", reviews)
            case let .recentOrder(days):
                json.field("days", days)
            }
        }
    }
}
