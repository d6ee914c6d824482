import CRM
import Foundation
import Testing

/// Values the rules may be handed that no sane shop writes, and properties every assessment must keep.
@Suite struct StateEdgeCaseTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let day: TimeInterval = 86_400
    let evaluator = StateEvaluator()

    func facts(reviews: [ReviewFact], lastOrderDaysAgo: Double? = 10) -> CustomerFacts {
        CustomerFacts(
            customerId: 1, signedUpAt: now.addingTimeInterval(-400 * day),
            purchases: PurchaseSummary(
                lastOrderAt: lastOrderDaysAgo.map { now.addingTimeInterval(-$0 * day) }, ordersLastYear: 1,
                spendLastYear: 1, totalOrders: 1),
            reviews: reviews)
    }

    func review(_ id: Int64, probability: Double?, rating: Int?, daysAgo: Double = 2) -> ReviewFact {
        ReviewFact(
            reviewId: id, productId: 1, rating: rating, probability: probability,
            writtenAt: now.addingTimeInterval(-daysAgo * day))
    }

    @Test(arguments: [Double.nan, .infinity, -.infinity])
    func aProbabilityThatIsNotANumberCountsAsUnscored(probability: Double) {
        let odd = evaluator.assess(facts(reviews: [review(1, probability: probability, rating: 2)]), at: now)
        let ratingOnly = evaluator.assess(facts(reviews: [review(1, probability: nil, rating: 2)]), at: now)
        #expect(odd.churnRisk.isFinite && (0...1).contains(odd.churnRisk))
        #expect(odd.sentimentScore.isFinite)
        #expect(odd == ratingOnly)
    }

    @Test func aProbabilityOutsideTheUnitIntervalIsClamped() {
        #expect(evaluator.score(of: review(1, probability: 1.7, rating: nil)) == 1)
        #expect(evaluator.score(of: review(1, probability: -0.3, rating: nil)) == 0)
        let assessment = evaluator.assess(facts(reviews: [review(1, probability: -50, rating: nil)]), at: now)
        #expect((0...1).contains(assessment.sentimentScore))
    }

    @Test func thresholdsHoldExactlyForThreeDecimalProbabilities() {
        // Documented: a score at or below negativeScore (0.4) is negative, at or below strongNegativeScore (0.2)
        // strongly negative. The blend is computed in binary floating point; compare with exact decimal arithmetic.
        for thousandths in 0...1_000 {
            for rating in [nil, 1, 2, 3, 4, 5] as [Int?] {
                let exact: Decimal =
                    rating.map {
                        Decimal(6) / 10 * Decimal(thousandths) / 1_000 + Decimal(4) / 10 * Decimal($0 - 1) / 4
                    } ?? Decimal(thousandths) / 1_000
                let score = evaluator.score(of: review(1, probability: Double(thousandths) / 1_000, rating: rating))
                guard let score else { continue }
                #expect(
                    (score <= 0.4) == (exact <= Decimal(4) / 10),
                    "p=\(thousandths)/1000 rating=\(String(describing: rating))")
                #expect(
                    (score <= 0.2) == (exact <= Decimal(2) / 10),
                    "p=\(thousandths)/1000 rating=\(String(describing: rating))")
            }
        }
    }

    @Test func thousandsOfReviewsAreAssessedInBoundedTimeWithBoundedReasons() {
        var generator = SeededGenerator(seed: 7)
        let reviews = (0..<5_000).map {
            review(
                Int64($0), probability: Double.random(in: 0...0.3, using: &generator), rating: 1,
                daysAgo: Double.random(in: 0...180, using: &generator))
        }
        let assessment = evaluator.assess(facts(reviews: reviews, lastOrderDaysAgo: nil), at: now)
        #expect(assessment.state == .churned)
        #expect(assessment.reasons.count <= 1 + StateEvaluator.maximumReviewReasons)
        #expect((0...1).contains(assessment.churnRisk))
        // The newest reviews are named, newest first.
        let named = assessment.reasons.compactMap { reason -> Int64? in
            if case .negativeReview(let id, _, _, _, _, _, _) = reason { return id }
            return nil
        }
        let newest = reviews.sorted { ($0.writtenAt, $0.reviewId) > ($1.writtenAt, $1.reviewId) }.prefix(3).map(
            \.reviewId)
        #expect(named == Array(newest))
    }

    @Test func generatedCustomersKeepRiskAndSentimentInTheUnitInterval() {
        var generator = SeededGenerator(seed: 11)
        for id in 0..<2_000 {
            let facts = StateFactsGenerator.customer(Int64(id), at: now, using: &generator)
            let assessment = evaluator.assess(facts, at: now)
            #expect((0...1).contains(assessment.churnRisk), "\(facts)")
            #expect((0...1).contains(assessment.sentimentScore), "\(facts)")
            #expect(!assessment.reasons.isEmpty)
        }
    }
}

/// Properties one expects of the rules, checked over seeded random customers.
@Suite struct StateMonotonicityTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let evaluator = StateEvaluator()

    @Test func aNewOrderNeverRaisesChurnRisk() {
        var generator = SeededGenerator(seed: 3)
        for id in 0..<2_000 {
            let before = StateFactsGenerator.customer(Int64(id), at: now, using: &generator)
            var after = before
            after.purchases.lastOrderAt = max(now, before.purchases.lastOrderAt ?? now)
            after.purchases.ordersLastYear += 1
            after.purchases.totalOrders += 1
            after.purchases.spendLastYear += 10_000
            let riskBefore = evaluator.assess(before, at: now).churnRisk
            let riskAfter = evaluator.assess(after, at: now).churnRisk
            #expect(riskAfter <= riskBefore, "\(before)")
            #expect(evaluator.assess(after, at: now).state != .churned)
        }
    }

    @Test func aFreshStronglyNegativeReviewNeverLowersChurnRiskNorImprovesTheState() {
        var generator = SeededGenerator(seed: 5)
        let rank: [CustomerState: Int] = [.loyal: 0, .new: 1, .active: 1, .atRisk: 2, .churned: 3]
        for id in 0..<2_000 {
            let before = StateFactsGenerator.customer(Int64(id), at: now, using: &generator)
            var after = before
            after.reviews.append(
                ReviewFact(reviewId: 999_999, productId: 1, rating: 1, probability: 0, writtenAt: now))
            let a = evaluator.assess(before, at: now)
            let b = evaluator.assess(after, at: now)
            #expect(b.churnRisk >= a.churnRisk, "\(before)")
            #expect((rank[b.state] ?? 0) >= (rank[a.state] ?? 0), "\(a.state) → \(b.state) for \(before)")
        }
    }
}
