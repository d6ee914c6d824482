import CRM
import Foundation
import Testing

/// An open complaint — a strongly negative review of the last `recentNegativeDays` with no order after it — adds
/// `riskComplaintWeight` × (1 − its score) × its decay weight to the churn risk. Before, the demo's at-risk
/// customer, explained in the README, showed "at_risk … churn risk 0.03": one bad review among good ones barely
/// moved the sentiment average, and an order the day before kept the recency term near zero.
@Suite struct ComplaintRiskTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func daysAgo(_ days: Double) -> Date { now.addingTimeInterval(-days * 86_400) }

    /// A customer who ordered `lastOrder` days ago and wrote three good reviews and, `complaintAge` days ago, a 1★
    /// review the model scored 0.01.
    func happyCustomerWhoComplained(complaintAge: Double, lastOrder: Double = 1) -> CustomerFacts {
        let good = (1...3).map { i in
            ReviewFact(
                reviewId: Int64(i), productId: 7, rating: 5, probability: 0.95, writtenAt: daysAgo(20 + Double(i)))
        }
        let complaint = ReviewFact(
            reviewId: 9, productId: 7, rating: 1, probability: 0.01, writtenAt: daysAgo(complaintAge),
            aspects: ["quality"])
        return CustomerFacts(
            customerId: 1, signedUpAt: daysAgo(300),
            purchases: PurchaseSummary(
                lastOrderAt: daysAgo(lastOrder), ordersLastYear: 3, spendLastYear: 120_000, totalOrders: 3),
            reviews: good + [complaint])
    }

    @Test func aFreshComplaintRaisesTheRiskOfTheCustomerItPutsAtRisk() {
        var without = StateRules()
        without.riskComplaintWeight = 0
        let facts = happyCustomerWhoComplained(complaintAge: 0.01, lastOrder: 1)
        let before = StateEvaluator(rules: without).assess(facts, at: now)
        let after = StateEvaluator().assess(facts, at: now)
        print(
            "complaint risk: an at-risk customer's churn risk \(before.churnRisk) without the term, "
                + "\(after.churnRisk) with")
        #expect(before.state == .atRisk && after.state == .atRisk)
        #expect(before.churnRisk < 0.15, "the defect: at risk, yet a churn risk near zero")
        // Score 0.6 × 0.01 + 0.4 × 0 = 0.006, fresh: the term adds 0.5 × 0.994 × (almost 1).
        #expect(abs(after.churnRisk - before.churnRisk - 0.5 * 0.994) < 0.001)
    }

    @Test func theComplaintFadesWithTheSentimentHalfLife() {
        let evaluator = StateEvaluator()
        var without = StateRules()
        without.riskComplaintWeight = 0
        // The last order 40 days ago: before either complaint, which therefore both stay open.
        func term(complaintAge: Double) -> Double {
            let facts = happyCustomerWhoComplained(complaintAge: complaintAge, lastOrder: 40)
            return evaluator.assess(facts, at: now).churnRisk
                - StateEvaluator(rules: without).assess(facts, at: now).churnRisk
        }
        let freshTerm = term(complaintAge: 0)
        let oldTerm = term(complaintAge: 29.9)
        #expect(freshTerm > 0.4)
        #expect(abs(oldTerm / freshTerm - evaluator.decayWeight(ageInDays: 29.9)) < 0.001, "half after 30 days")
    }

    @Test func aComplaintOutsideTheWindowOrFollowedByAnOrderAddsNothing() {
        var without = StateRules()
        without.riskComplaintWeight = 0
        for facts in [
            happyCustomerWhoComplained(complaintAge: 31, lastOrder: 40),  // older than recentNegativeDays
            happyCustomerWhoComplained(complaintAge: 5, lastOrder: 1),  // the customer ordered since
        ] {
            #expect(
                StateEvaluator().assess(facts, at: now).churnRisk
                    == StateEvaluator(rules: without).assess(facts, at: now).churnRisk)
        }
    }

    @Test func theWeightIsReadFromTheStatesSectionAndChecked() throws {
        let rules = try JSONDecoder().decode(StateRules.self, from: Data(#"{"riskComplaintWeight": 0.3}"#.utf8))
        #expect(rules.riskComplaintWeight == 0.3)
        #expect(try JSONDecoder().decode(StateRules.self, from: Data("{}".utf8)).riskComplaintWeight == 0.5)
        var wrong = StateRules()
        wrong.riskComplaintWeight = 1.5
        #expect(wrong.problems() == ["riskComplaintWeight must be between 0 and 1 (it is 1.5)"])
    }
}
