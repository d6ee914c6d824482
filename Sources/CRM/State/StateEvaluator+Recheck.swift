import Foundation

extension StateEvaluator {
    /// When the scheduler should next look at this customer if nothing else happens: the earliest moment time
    /// alone can change the state — the at-risk and churn windows, the end of the new-customer period, a negative
    /// review ageing out, an order leaving the 365-day window (when the facts name the oldest), or the churn risk
    /// or sentiment drifting across a threshold — but no later than `maximumInterval` from `now`, so that the
    /// churn risk, which drifts daily, stays fresh. The recheck may come up to a second after the change, and
    /// never before `now` + 1 s.
    public func nextRecheck(for facts: CustomerFacts, at now: Date, maximumInterval: TimeInterval) -> Date {
        let day: TimeInterval = 86_400
        let idleSince = facts.purchases.lastOrderAt ?? facts.signedUpAt
        var candidates = [
            idleSince.addingTimeInterval(rules.atRiskAfterDays * day),
            idleSince.addingTimeInterval(rules.churnAfterDays * day),
            facts.signedUpAt.addingTimeInterval(rules.newCustomerDays * day),
        ]
        // The oldest order of the year leaving the window lowers ordersLastYear (loyalty, and the risk's discount).
        if let oldest = facts.purchases.oldestOrderLastYearAt {
            candidates.append(oldest.addingTimeInterval(365 * day))
        }
        for review in facts.reviews {
            if let score = score(of: review), score <= rules.negativeScore {
                candidates.append(review.writtenAt.addingTimeInterval(rules.recentNegativeDays * day))
            }
        }
        let latest = now.addingTimeInterval(maximumInterval)
        // A moment exactly at `now` has already been evaluated; a second later the rule has flipped.
        let upcoming = candidates.filter { $0 > now }.map { $0.addingTimeInterval(1) }
        let fixed = min(upcoming.min() ?? latest, latest)
        return firstDriftingChange(of: facts, after: now, before: fixed) ?? fixed
    }

    /// The first moment in (`now`, `horizon`) at which the state differs from the state at `now`, to within a
    /// second, or nil. Before the rules' fixed moments (`horizon`) only the churn risk (idle days grow) and the
    /// sentiment (reviews decay toward the prior) change, continuously, and either may cross
    /// `atRiskMinimumRisk` or `loyalMinimumSentiment`. The state is compared at `now` and just before `horizon`
    /// only, and a change narrowed down by bisection: every recompute of the review pipeline runs this, and
    /// sampling the look-ahead hourly cost the pipeline a quarter of its throughput (draining 20,000 reviews,
    /// 4.0–4.9 s against 5.1–6.5 s). A state that changes and changes back before `horizon` is missed; it
    /// is looked at again by `horizon`, at most `maximumRecheckHours` away.
    private func firstDriftingChange(of facts: CustomerFacts, after now: Date, before horizon: Date) -> Date? {
        let end = horizon.addingTimeInterval(-1)
        guard end.timeIntervalSince(now) > 1 else { return nil }
        let state = assess(facts, at: now).state
        // Time alone only deepens churn.
        guard state != .churned, assess(facts, at: end).state != state else { return nil }
        var unchanged = now
        var changed = end
        while changed.timeIntervalSince(unchanged) > 1 {
            let middle = unchanged.addingTimeInterval(changed.timeIntervalSince(unchanged) / 2)
            if assess(facts, at: middle).state != state { changed = middle } else { unchanged = middle }
        }
        return max(changed, now.addingTimeInterval(1))
    }
}
