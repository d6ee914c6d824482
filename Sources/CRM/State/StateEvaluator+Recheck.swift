import Foundation

extension StateEvaluator {
    /// When the scheduler should next look at this customer if nothing else happens: the earliest
    /// moment a time-based rule can change the state (the at-risk and churn windows, the end of the
    /// new-customer period, a negative review ageing out), but no later than `maximumInterval` from
    /// `now`, so that the churn risk, which drifts daily, stays fresh.
    public func nextRecheck(for facts: CustomerFacts, at now: Date, maximumInterval: TimeInterval) -> Date {
        let day: TimeInterval = 86_400
        let idleSince = facts.purchases.lastOrderAt ?? facts.signedUpAt
        var candidates = [
            idleSince.addingTimeInterval(rules.atRiskAfterDays * day),
            idleSince.addingTimeInterval(rules.churnAfterDays * day),
            facts.signedUpAt.addingTimeInterval(rules.newCustomerDays * day),
        ]
        for review in facts.reviews {
            if let score = score(of: review), score <= rules.negativeScore {
                candidates.append(review.writtenAt.addingTimeInterval(rules.recentNegativeDays * day))
            }
        }
        let latest = now.addingTimeInterval(maximumInterval)
        // A moment exactly at `now` has already been evaluated; a second later the rule has flipped.
        let upcoming = candidates.filter { $0 > now }.map { $0.addingTimeInterval(1) }
        return min(upcoming.min() ?? latest, latest)
    }
}
