import CRM
import Foundation
import Testing

@Suite struct StateEvaluatorTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let evaluator = StateEvaluator()

    func daysAgo(_ days: Double) -> Date { now.addingTimeInterval(-days * 86_400) }

    func facts(
        signedUp: Double = 400, lastOrder: Double? = 10, ordersLastYear: Int = 1, totalOrders: Int = 1,
        reviews: [ReviewFact] = []
    ) -> CustomerFacts {
        CustomerFacts(
            customerId: 1, signedUpAt: daysAgo(signedUp),
            purchases: PurchaseSummary(
                lastOrderAt: lastOrder.map(daysAgo), ordersLastYear: ordersLastYear, spendLastYear: 50_000,
                totalOrders: totalOrders),
            reviews: reviews)
    }

    func review(_ id: Int64, probability: Double?, rating: Int?, daysAgo age: Double, aspects: [String] = [])
        -> ReviewFact
    {
        ReviewFact(
            reviewId: id, productId: 7, rating: rating, probability: probability, writtenAt: daysAgo(age),
            aspects: aspects)
    }

    @Test func reviewScoreBlendsTextAndRating() {
        #expect(abs((evaluator.score(of: review(1, probability: 1, rating: 1, daysAgo: 0)) ?? -1) - 0.6) < 1e-12)
        #expect(evaluator.score(of: review(1, probability: 0.3, rating: nil, daysAgo: 0)) == 0.3)
        #expect(evaluator.score(of: review(1, probability: nil, rating: 5, daysAgo: 0)) == 1)
        #expect(evaluator.score(of: review(1, probability: nil, rating: nil, daysAgo: 0)) == nil)
    }

    @Test func decayHalvesEveryHalfLife() {
        #expect(abs(evaluator.decayWeight(ageInDays: 30) - 0.5) < 1e-12)
        #expect(abs(evaluator.decayWeight(ageInDays: 60) - 0.25) < 1e-12)
        #expect(evaluator.decayWeight(ageInDays: -5) == 1)
    }

    @Test func recentReviewsOutweighOldOnes() {
        let freshBadOldGood = [
            review(1, probability: 0.05, rating: 1, daysAgo: 1), review(2, probability: 0.95, rating: 5, daysAgo: 180),
        ]
        let freshGoodOldBad = [
            review(1, probability: 0.95, rating: 5, daysAgo: 1), review(2, probability: 0.05, rating: 1, daysAgo: 180),
        ]
        #expect(evaluator.sentimentScore(of: freshBadOldGood, at: now) < 0.4)
        #expect(evaluator.sentimentScore(of: freshGoodOldBad, at: now) > 0.8)
    }

    @Test func freshStronglyNegativeDeliveryReviewPutsCustomerAtRiskNamingTheReview() {
        let assessment = evaluator.assess(
            facts(
                lastOrder: 3, reviews: [review(123, probability: 0.04, rating: 1, daysAgo: 1, aspects: ["delivery"])]),
            at: now)
        #expect(assessment.state == .atRisk)
        guard case .negativeReview(let reviewId, _, _, let probability, _, let aspects, _)? = assessment.reasons.first
        else {
            Issue.record("first reason is \(String(describing: assessment.reasons.first))")
            return
        }
        #expect(reviewId == 123)
        #expect(probability == 0.04)
        #expect(aspects == ["delivery"])
    }

    @Test func aComplaintFollowedByAnOrderDoesNotTriggerAtRisk() {
        let assessment = evaluator.assess(
            facts(lastOrder: 1, reviews: [review(5, probability: 0.04, rating: 1, daysAgo: 3)]), at: now)
        #expect(assessment.state == .active)
        #expect(assessment.reasons.contains { $0.code == "negative_review" })
    }

    @Test func noOrderPastTheWindowIsChurned() {
        let assessment = evaluator.assess(facts(lastOrder: 121), at: now)
        #expect(assessment.state == .churned)
        #expect(assessment.reasons.first == .noOrderDays(days: 121, sinceSignup: false))
        #expect(assessment.churnRisk > 0.6)
    }

    @Test func neverOrderingCountsFromSignup() {
        let old = evaluator.assess(facts(signedUp: 200, lastOrder: nil, ordersLastYear: 0, totalOrders: 0), at: now)
        #expect(old.state == .churned)
        #expect(old.reasons.first == .noOrderDays(days: 200, sinceSignup: true))
        let fresh = evaluator.assess(facts(signedUp: 5, lastOrder: nil, ordersLastYear: 0, totalOrders: 0), at: now)
        #expect(fresh.state == .new)
        #expect(fresh.reasons.first == .newCustomer(daysSinceSignup: 5, orders: 0))
    }

    @Test func idleBetweenAtRiskAndChurnWindowsIsAtRisk() {
        let assessment = evaluator.assess(facts(lastOrder: 75), at: now)
        #expect(assessment.state == .atRisk)
        #expect(assessment.reasons.contains(.noOrderDays(days: 75, sinceSignup: false)))
    }

    @Test func frequentHappyBuyerIsLoyal() {
        let assessment = evaluator.assess(
            facts(
                lastOrder: 5, ordersLastYear: 6, totalOrders: 9,
                reviews: [review(9, probability: 0.97, rating: 5, daysAgo: 4)]),
            at: now)
        #expect(assessment.state == .loyal)
        #expect(assessment.reasons.first?.code == "frequent_buyer")
        #expect(assessment.churnRisk < 0.2)
    }

    @Test func aLoyalCustomerWithoutReviewsHasNoSentimentReason() {
        // The prior sentiment alone used to be given as "good_sentiment over 0 reviews".
        let rules = StateRules()
        let assessment = StateEvaluator(rules: rules).assess(
            facts(lastOrder: 5, ordersLastYear: 6, totalOrders: 9), at: now)
        #expect(rules.priorSentiment >= rules.loyalMinimumSentiment, "the prior alone makes a frequent buyer loyal")
        #expect(assessment.state == .loyal)
        #expect(assessment.reasons.map(\.code) == ["frequent_buyer"])
        let reviewed = evaluator.assess(
            facts(
                lastOrder: 5, ordersLastYear: 6, totalOrders: 9,
                reviews: [review(9, probability: 0.97, rating: 5, daysAgo: 4)]),
            at: now)
        #expect(reviewed.reasons.map(\.code) == ["frequent_buyer", "good_sentiment"])
    }

    @Test func frequentButUnhappyBuyerIsNotLoyal() {
        let reviews = [
            review(1, probability: 0.3, rating: 2, daysAgo: 40), review(2, probability: 0.35, rating: 2, daysAgo: 50),
        ]
        let assessment = evaluator.assess(
            facts(lastOrder: 5, ordersLastYear: 6, totalOrders: 9, reviews: reviews), at: now)
        #expect(assessment.state == .active)
    }

    @Test func churnRiskStaysInUnitIntervalAndGrowsWithIdleness() {
        var previous = -1.0
        for idle in stride(from: 0.0, through: 400, by: 20) {
            let risk = evaluator.churnRisk(idleDays: idle, sentiment: 0.5, ordersLastYear: 0)
            #expect((0...1).contains(risk))
            #expect(risk >= previous)
            previous = risk
        }
        #expect(evaluator.churnRisk(idleDays: 1_000, sentiment: 0, ordersLastYear: 0) == 1)
        #expect(evaluator.churnRisk(idleDays: 0, sentiment: 1, ordersLastYear: 10) == 0)
    }

    @Test func ruleEvaluationIsDeterministicForShuffledReviews() {
        var generator = SeededGenerator(seed: 42)
        let reviews = (0..<20).map { i in
            review(
                Int64(i), probability: Double.random(in: 0...1, using: &generator),
                rating: Int.random(in: 1...5, using: &generator),
                daysAgo: Double.random(in: 0...90, using: &generator))
        }
        let expected = evaluator.assess(facts(reviews: reviews), at: now)
        for _ in 0..<5 {
            #expect(evaluator.assess(facts(reviews: reviews.shuffled(using: &generator)), at: now) == expected)
        }
    }
}

/// SplitMix64: a small seeded generator so randomised tests reproduce.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct StateRecheckTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let evaluator = StateEvaluator()
    let day: TimeInterval = 86_400

    @Test func recheckAtTheNextTimeRule() {
        let facts = CustomerFacts(
            customerId: 1, signedUpAt: now.addingTimeInterval(-400 * day),
            purchases: PurchaseSummary(
                lastOrderAt: now.addingTimeInterval(-50 * day), ordersLastYear: 1, spendLastYear: 1, totalOrders: 1),
            reviews: [])
        // at risk after 60 idle days: 10 days from now (to within the one-second margin)
        let recheck = evaluator.nextRecheck(for: facts, at: now, maximumInterval: 30 * day)
        #expect((10 * day...10 * day + 1).contains(recheck.timeIntervalSince(now)))
    }

    @Test func recheckNoLaterThanTheMaximumInterval() {
        let facts = CustomerFacts(
            customerId: 1, signedUpAt: now.addingTimeInterval(-400 * day),
            purchases: PurchaseSummary(
                lastOrderAt: now.addingTimeInterval(-1 * day), ordersLastYear: 1, spendLastYear: 1, totalOrders: 1),
            reviews: [])
        #expect(evaluator.nextRecheck(for: facts, at: now, maximumInterval: day) == now.addingTimeInterval(day))
    }

    @Test func negativeReviewAgingOutIsACandidate() {
        let review = ReviewFact(
            reviewId: 1, productId: 1, rating: 1, probability: 0.01, writtenAt: now.addingTimeInterval(-29 * day))
        let facts = CustomerFacts(
            customerId: 1, signedUpAt: now.addingTimeInterval(-400 * day),
            purchases: PurchaseSummary(
                lastOrderAt: now.addingTimeInterval(-35 * day), ordersLastYear: 1, spendLastYear: 1, totalOrders: 1),
            reviews: [review])
        let recheck = evaluator.nextRecheck(for: facts, at: now, maximumInterval: 30 * day)
        #expect(abs(recheck.timeIntervalSince(now) - (day + 1)) < 0.001)
    }
}
