import Foundation

/// The customer-state rules as pure functions of a customer's facts and the time of evaluation.
///
/// Churn risk = `riskRecencyWeight` × recency + `riskDissatisfactionWeight` × (1 − sentiment)
/// + `riskComplaintWeight` × complaint − `riskLoyaltyDiscount` × loyalty, clamped to [0, 1], where recency is
/// days without an order over `churnAfterDays` (capped at 1), sentiment is the time-decayed review score shrunk
/// toward the prior, complaint is the strongest open complaint (a strongly negative review of the last
/// `recentNegativeDays` with no order after it: one minus its score, times its decay weight; 0 without one), and
/// loyalty is orders in the last year over `loyalMinimumOrders` (capped at 1).
/// The state then follows the ordered rules documented on ``CustomerState``.
public struct StateEvaluator: Sendable {
    /// The thresholds and weights in use.
    public let rules: StateRules

    /// At most this many negative reviews are listed among the reasons.
    public static let maximumReviewReasons = 3

    private static let secondsPerDay: Double = 86_400

    /// Creates an evaluator for the given rules.
    public init(rules: StateRules = StateRules()) {
        self.rules = rules
    }

    /// A review's score in [0, 1]: the text probability and the rating (1★ → 0, 5★ → 1) blended by
    /// `textWeight`; either alone when the other is missing; nil when the review has neither. A probability
    /// that is not a number counts as missing and one outside [0, 1] is clamped, as out-of-range ratings are:
    /// one NaN would otherwise make the sentiment and churn risk NaN.
    public func score(of review: ReviewFact) -> Double? {
        let ratingScore = review.rating.map { (Double(min(max($0, 1), 5)) - 1) / 4 }
        let probability = Self.usableProbability(of: review)
        switch (probability, ratingScore) {
        case (let p?, let r?): return rules.textWeight * p + (1 - rules.textWeight) * r
        case (let p?, nil): return p
        case (nil, let r?): return r
        case (nil, nil): return nil
        }
    }

    /// The review's probability as the rules use it: clamped to [0, 1]; nil when absent or not a number.
    static func usableProbability(of review: ReviewFact) -> Double? {
        review.probability.flatMap { $0.isFinite ? min(max($0, 0), 1) : nil }
    }

    /// The weight of something `days` old: 1 when fresh, ½ after one half-life.
    public func decayWeight(ageInDays days: Double) -> Double {
        pow(0.5, max(days, 0) / rules.sentimentHalfLifeDays)
    }

    /// The time-weighted sentiment of the reviews, shrunk toward the prior; the prior when there are none.
    /// Sums in a fixed order, so the result does not depend on the order the reviews come in.
    public func sentimentScore(of reviews: [ReviewFact], at now: Date) -> Double {
        sentimentScore(ofNewestFirst: reviews.sorted(by: Self.newestFirst), at: now)
    }

    /// ``sentimentScore(of:at:)`` of reviews already sorted newest first.
    private func sentimentScore(ofNewestFirst reviews: [ReviewFact], at now: Date) -> Double {
        var weighted = rules.priorSentiment * rules.priorWeight
        var totalWeight = rules.priorWeight
        for review in reviews {
            guard let score = score(of: review) else { continue }
            let weight = decayWeight(ageInDays: Self.days(from: review.writtenAt, to: now))
            weighted += weight * score
            totalWeight += weight
        }
        return totalWeight > 0 ? weighted / totalWeight : rules.priorSentiment
    }

    /// Evaluates the rules for one customer at `now`.
    public func assess(_ facts: CustomerFacts, at now: Date) -> StateAssessment {
        let sinceSignup = facts.purchases.lastOrderAt == nil
        let idleDays = Self.days(from: facts.purchases.lastOrderAt ?? facts.signedUpAt, to: now)
        let signupDays = Self.days(from: facts.signedUpAt, to: now)
        // Sorted once for both (the facts query reads them in this order, so the sort only checks it).
        let newestFirst = facts.reviews.sorted(by: Self.newestFirst)
        let sentiment = sentimentScore(ofNewestFirst: newestFirst, at: now)
        let negatives = recentNegativeReviews(newestFirst, purchases: facts.purchases, at: now)
        let complaint = negatives.filter(\.triggersRisk).map(\.complaint).max() ?? 0
        let risk = churnRisk(
            idleDays: idleDays, sentiment: sentiment, ordersLastYear: facts.purchases.ordersLastYear,
            complaint: complaint)
        let scoredReviews = facts.reviews.filter { score(of: $0) != nil }.count
        let idleReason = StateReason.noOrderDays(days: Int(idleDays), sinceSignup: sinceSignup)
        let negativeReasons = negatives.prefix(Self.maximumReviewReasons).map(\.reason)

        if idleDays >= rules.churnAfterDays {
            return StateAssessment(
                state: .churned, churnRisk: risk, sentimentScore: sentiment, reasons: [idleReason] + negativeReasons)
        }

        let triggering = negatives.filter(\.triggersRisk)
        if !triggering.isEmpty || risk >= rules.atRiskMinimumRisk || idleDays >= rules.atRiskAfterDays {
            var reasons = Array(triggering.prefix(Self.maximumReviewReasons).map(\.reason))
            if risk >= rules.atRiskMinimumRisk {
                reasons.append(.highChurnRisk(risk: risk, threshold: rules.atRiskMinimumRisk))
            }
            if idleDays >= rules.atRiskAfterDays { reasons.append(idleReason) }
            if sentiment <= rules.negativeScore {
                reasons.append(.lowSentiment(score: sentiment, reviews: scoredReviews))
            }
            for reason in negativeReasons
            where !reasons.contains(reason) && reasons.count < Self.maximumReviewReasons + 2 {
                reasons.append(reason)
            }
            return StateAssessment(state: .atRisk, churnRisk: risk, sentimentScore: sentiment, reasons: reasons)
        }

        var reasons: [StateReason]
        let state: CustomerState
        if signupDays < rules.newCustomerDays && facts.purchases.totalOrders <= 1 {
            state = .new
            reasons = [.newCustomer(daysSinceSignup: Int(signupDays), orders: facts.purchases.totalOrders)]
        } else if facts.purchases.ordersLastYear >= rules.loyalMinimumOrders && sentiment >= rules.loyalMinimumSentiment
        {
            state = .loyal
            reasons = [
                .frequentBuyer(
                    ordersLastYear: facts.purchases.ordersLastYear, spendLastYear: facts.purchases.spendLastYear)
            ]
            // Without a scored review the sentiment is the prior alone, not something the customer said.
            if scoredReviews > 0 { reasons.append(.goodSentiment(score: sentiment, reviews: scoredReviews)) }
        } else {
            state = .active
            reasons = sinceSignup ? [idleReason] : [.recentOrder(days: Int(idleDays))]
            if scoredReviews > 0 && sentiment >= rules.loyalMinimumSentiment {
                reasons.append(.goodSentiment(score: sentiment, reviews: scoredReviews))
            } else if sentiment <= rules.negativeScore {
                reasons.append(.lowSentiment(score: sentiment, reviews: scoredReviews))
            }
        }
        reasons += negativeReasons
        return StateAssessment(state: state, churnRisk: risk, sentimentScore: sentiment, reasons: reasons)
    }

    /// Churn risk in [0, 1] from idle days, sentiment, orders in the last year and the open complaint in [0, 1]
    /// (formula on the type).
    public func churnRisk(idleDays: Double, sentiment: Double, ordersLastYear: Int, complaint: Double = 0) -> Double {
        let recency = min(max(idleDays, 0) / rules.churnAfterDays, 1)
        let loyalty = min(Double(ordersLastYear) / Double(max(rules.loyalMinimumOrders, 1)), 1)
        let raw =
            rules.riskRecencyWeight * recency + rules.riskDissatisfactionWeight * (1 - sentiment)
            + rules.riskComplaintWeight * min(max(complaint, 0), 1) - rules.riskLoyaltyDiscount * loyalty
        return min(max(raw, 0), 1)
    }

    private struct NegativeReview {
        var reason: StateReason
        var triggersRisk: Bool
        /// One minus its score, times its decay weight: what it adds to the churn risk while it triggers it.
        var complaint: Double
    }

    /// Negative reviews younger than `recentNegativeDays`, newest first (as `newestFirst` comes). A strongly
    /// negative one with no order after it triggers the at-risk state.
    private func recentNegativeReviews(
        _ newestFirst: [ReviewFact], purchases: PurchaseSummary, at now: Date
    ) -> [NegativeReview] {
        newestFirst
            .compactMap { review in
                guard let score = score(of: review), score <= rules.negativeScore else { return nil }
                let age = Self.days(from: review.writtenAt, to: now)
                guard age <= rules.recentNegativeDays else { return nil }
                let orderedSince = purchases.lastOrderAt.map { $0 > review.writtenAt } ?? false
                let reason = StateReason.negativeReview(
                    reviewId: review.reviewId, productId: review.productId, score: score,
                    probability: Self.usableProbability(of: review), rating: review.rating, aspects: review.aspects,
                    daysAgo: Int(age))
                return NegativeReview(
                    reason: reason, triggersRisk: score <= rules.strongNegativeScore && !orderedSince,
                    complaint: (1 - score) * decayWeight(ageInDays: age))
            }
    }

    private static func newestFirst(_ a: ReviewFact, _ b: ReviewFact) -> Bool {
        (a.writtenAt, a.reviewId) > (b.writtenAt, b.reviewId)
    }

    private static func days(from start: Date, to end: Date) -> Double {
        max(end.timeIntervalSince(start), 0) / secondsPerDay
    }
}
