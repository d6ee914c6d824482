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

    /// With the default 24 h maximum: the drift of risk and sentiment is not foreseen, only looked at within a day,
    /// so a longer maximum can leave a drift unseen for longer (customer 149 of this sample turns loyal 6.5 days
    /// on, with a recheck at 30 days under a 30-day maximum).
    @Test(arguments: [(1.0, 3_600.0)])
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
