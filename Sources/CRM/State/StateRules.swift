/// Thresholds and weights of the customer-state rules. Loaded from the `states` section of the
/// configuration file; every field has a documented default so an empty section is valid.
public struct StateRules: Sendable, Codable, Equatable {
    /// Half-life of a review's weight, in days: a review this old counts half as much as a fresh one.
    public var sentimentHalfLifeDays: Double = 30
    /// Weight of the text model's probability in a review's score; the rating gets the rest.
    public var textWeight: Double = 0.6
    /// Sentiment score assumed before any review is known (most reviews are positive).
    public var priorSentiment: Double = 0.75
    /// How many fresh reviews' worth of weight the prior carries (shrinks the score of customers with few reviews).
    public var priorWeight: Double = 0.5
    /// A review scoring at or below this is negative.
    public var negativeScore: Double = 0.4
    /// A review scoring at or below this is strongly negative.
    public var strongNegativeScore: Double = 0.2
    /// A strongly negative review younger than this, with no order after it, puts the customer at risk.
    public var recentNegativeDays: Double = 30
    /// No order for this many days (from signup if none) makes a customer churned.
    public var churnAfterDays: Double = 120
    /// No order for this many days puts a customer at risk.
    public var atRiskAfterDays: Double = 60
    /// A churn risk at or above this puts a customer at risk.
    public var atRiskMinimumRisk: Double = 0.6
    /// Customers who signed up this recently, with at most one order, are new.
    public var newCustomerDays: Double = 30
    /// Orders in the last 365 days needed to be loyal.
    public var loyalMinimumOrders: Int = 4
    /// Sentiment score needed to be loyal.
    public var loyalMinimumSentiment: Double = 0.6
    /// Churn-risk weight of purchase recency (days since the last order over `churnAfterDays`).
    public var riskRecencyWeight: Double = 0.55
    /// Churn-risk weight of dissatisfaction (one minus the sentiment score).
    public var riskDissatisfactionWeight: Double = 0.45
    /// Churn-risk reduction for frequent buyers (orders in the last year over `loyalMinimumOrders`, capped at 1).
    public var riskLoyaltyDiscount: Double = 0.15
    /// Churn-risk weight of an open complaint: a strongly negative review from the last `recentNegativeDays` with no
    /// order after it, counted as one minus its score, fading with `sentimentHalfLifeDays` (the strongest one counts).
    /// Without it a customer put at risk by a complaint could show a churn risk of 0.03: the sentiment average
    /// dilutes one bad review among good ones, and an order the day before keeps the recency term near zero.
    public var riskComplaintWeight: Double = 0.5

    /// The documented defaults.
    public init() {}

    /// Checks that the rules make sense together; returns a sentence per problem.
    public func problems() -> [String] {
        var found: [String] = []
        func requirePositive(_ value: Double, _ name: String) {
            if !(value > 0) { found.append("\(name) must be greater than 0 (it is \(value))") }
        }
        func requireUnit(_ value: Double, _ name: String) {
            if !(0...1).contains(value) { found.append("\(name) must be between 0 and 1 (it is \(value))") }
        }
        requirePositive(sentimentHalfLifeDays, "sentimentHalfLifeDays")
        requirePositive(churnAfterDays, "churnAfterDays")
        requirePositive(atRiskAfterDays, "atRiskAfterDays")
        requirePositive(recentNegativeDays, "recentNegativeDays")
        requirePositive(newCustomerDays, "newCustomerDays")
        if priorWeight < 0 { found.append("priorWeight must not be negative (it is \(priorWeight))") }
        for (value, name) in [
            (textWeight, "textWeight"), (priorSentiment, "priorSentiment"), (negativeScore, "negativeScore"),
            (strongNegativeScore, "strongNegativeScore"), (atRiskMinimumRisk, "atRiskMinimumRisk"),
            (loyalMinimumSentiment, "loyalMinimumSentiment"), (riskRecencyWeight, "riskRecencyWeight"),
            (riskDissatisfactionWeight, "riskDissatisfactionWeight"), (riskLoyaltyDiscount, "riskLoyaltyDiscount"),
            (riskComplaintWeight, "riskComplaintWeight"),
        ] {
            requireUnit(value, name)
        }
        if strongNegativeScore > negativeScore {
            found.append(
                "strongNegativeScore (\(strongNegativeScore)) must not exceed negativeScore (\(negativeScore))")
        }
        if atRiskAfterDays > churnAfterDays {
            found.append("atRiskAfterDays (\(atRiskAfterDays)) must not exceed churnAfterDays (\(churnAfterDays))")
        }
        if loyalMinimumOrders < 1 {
            found.append("loyalMinimumOrders must be at least 1 (it is \(loyalMinimumOrders))")
        }
        return found
    }
}

extension StateRules {
    /// Decoding fills absent keys with the defaults, so a config file names only what it changes.
    public init(from decoder: any Decoder) throws {
        self.init()
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func read<T: Decodable>(_ key: CodingKeys, _ value: inout T) throws {
            if let decoded = try c.decodeIfPresent(T.self, forKey: key) { value = decoded }
        }
        try read(.sentimentHalfLifeDays, &sentimentHalfLifeDays)
        try read(.textWeight, &textWeight)
        try read(.priorSentiment, &priorSentiment)
        try read(.priorWeight, &priorWeight)
        try read(.negativeScore, &negativeScore)
        try read(.strongNegativeScore, &strongNegativeScore)
        try read(.recentNegativeDays, &recentNegativeDays)
        try read(.churnAfterDays, &churnAfterDays)
        try read(.atRiskAfterDays, &atRiskAfterDays)
        try read(.atRiskMinimumRisk, &atRiskMinimumRisk)
        try read(.newCustomerDays, &newCustomerDays)
        try read(.loyalMinimumOrders, &loyalMinimumOrders)
        try read(.loyalMinimumSentiment, &loyalMinimumSentiment)
        try read(.riskRecencyWeight, &riskRecencyWeight)
        try read(.riskDissatisfactionWeight, &riskDissatisfactionWeight)
        try read(.riskLoyaltyDiscount, &riskLoyaltyDiscount)
        try read(.riskComplaintWeight, &riskComplaintWeight)
    }
}
