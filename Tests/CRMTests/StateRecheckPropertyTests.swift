import CRM
import Foundation
import Testing

/// `nextRecheck` must come no later than the first moment the state changes by time alone, for any customer:
/// otherwise the scheduler leaves the customer in a stale state until it looks again.
@Suite struct StateRecheckPropertyTests {
    let day: TimeInterval = 86_400
    let evaluator = StateEvaluator()

    /// The first sampled moment in [now, recheck − 1 s) whose state differs from the state at `now`, if any.
    /// (The recheck may come a second after the change: it is the rules' margin for "after" comparisons.)
    func firstMissedChange(_ facts: CustomerFacts, at now: Date, maximumInterval: TimeInterval, step: TimeInterval)
        -> Date?
    {
        let recheck = evaluator.nextRecheck(for: facts, at: now, maximumInterval: maximumInterval)
        let state = evaluator.assess(facts, at: now).state
        var moments = Array(stride(from: now, to: recheck.addingTimeInterval(-1), by: step))
        moments.append(recheck.addingTimeInterval(-1.001))
        return moments.first { $0 >= now && evaluator.assess(facts, at: $0).state != state }
    }

    @Test(arguments: [(1.0, 3_600.0), (30.0, 4 * 3_600.0)])
    func noStateChangesBeforeTheRecheck(maximumDays: Double, step: TimeInterval) {
        var generator = SeededGenerator(seed: 2_026)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        var missed: [(CustomerFacts, Date)] = []
        for id in 0..<400 {
            let facts = StateFactsGenerator.customer(Int64(id), at: now, using: &generator)
            if let change = firstMissedChange(facts, at: now, maximumInterval: maximumDays * day, step: step) {
                missed.append((facts, change))
            }
        }
        #expect(
            missed.isEmpty,
            "\(missed.count) of 400 customers change state before their recheck; first: \(missed.first.map { "\($0.0) at \($0.1)" } ?? "")"
        )
    }

    @Test func riskCrossingTheThresholdByTimeAloneIsARecheck() {
        // Signed up 45 days ago, never ordered, twenty poor (not strongly negative) reviews yesterday: churn risk
        // 0.55 × 45/120 + 0.45 × (1 − ~0.22) ≈ 0.56, rising by 0.0046 a day, reaches 0.6 about nine days before the
        // 60-idle-day rule would put the customer at risk.
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let facts = CustomerFacts(
            customerId: 1, signedUpAt: now.addingTimeInterval(-45 * day), purchases: .none,
            reviews: (1...20).map {
                ReviewFact(
                    reviewId: $0, productId: 1, rating: nil, probability: 0.21, writtenAt: now.addingTimeInterval(-day))
            })
        #expect(evaluator.assess(facts, at: now).state == .active)
        let turnsAtRisk = stride(from: 0.0, to: 40, by: 0.25).map { now.addingTimeInterval($0 * day) }
            .first { evaluator.assess(facts, at: $0).state == .atRisk }
        let recheck = evaluator.nextRecheck(for: facts, at: now, maximumInterval: 30 * day)
        guard let turnsAtRisk else {
            Issue.record("the example no longer turns at_risk by time alone")
            return
        }
        #expect(recheck <= turnsAtRisk, "at_risk from \(turnsAtRisk), recheck only at \(recheck)")
    }
}

extension StateRecheckPropertyTests {
    @Test func recheckOfACustomerWithThousandsOfReviewsIsQuick() {
        // The drift search assesses the customer twice, and about 17 times more when the state changes before the
        // horizon; each assessment sorts the reviews.
        var generator = SeededGenerator(seed: 9)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let facts = CustomerFacts(
            customerId: 1, signedUpAt: now.addingTimeInterval(-400 * day),
            purchases: PurchaseSummary(
                lastOrderAt: now.addingTimeInterval(-5 * day), ordersLastYear: 6, spendLastYear: 1, totalOrders: 9),
            reviews: (0..<5_000).map {
                ReviewFact(
                    reviewId: Int64($0), productId: 1, rating: Int.random(in: 1...5, using: &generator),
                    probability: Double.random(in: 0...1, using: &generator),
                    writtenAt: now.addingTimeInterval(-Double.random(in: 0...180, using: &generator) * day))
            })
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            _ = evaluator.nextRecheck(for: facts, at: now, maximumInterval: day)
        }
        print("nextRecheck, 5,000 reviews, 24 h look-ahead: \(elapsed)")
        #expect(elapsed < .seconds(2))
    }
}

extension StateRecheckPropertyTests {
    @Test func anOrderLeavingTheYearIsARecheck() {
        // Loyal with exactly loyalMinimumOrders orders in the year, the oldest 364 days ago: tomorrow only three
        // count and the customer is active, though nothing else happens for weeks.
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let facts = CustomerFacts(
            customerId: 1, signedUpAt: now.addingTimeInterval(-800 * day),
            purchases: PurchaseSummary(
                lastOrderAt: now.addingTimeInterval(-3 * day), ordersLastYear: 4, spendLastYear: 1, totalOrders: 9,
                oldestOrderLastYearAt: now.addingTimeInterval(-364 * day)),
            reviews: [])
        #expect(evaluator.assess(facts, at: now).state == .loyal)
        let recheck = evaluator.nextRecheck(for: facts, at: now, maximumInterval: 30 * day)
        #expect(recheck <= now.addingTimeInterval(day + 1), "recheck \(recheck.timeIntervalSince(now) / day) days away")
    }
}
