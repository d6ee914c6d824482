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

    /// The first moment in (`now`, `horizon`] at which the state differs from the state at `now`, to within a
    /// second, or nil. Before the rules' fixed moments (`horizon`) only the churn risk (idle days grow) and the
    /// sentiment (reviews decay toward the prior) change, continuously, and either may cross
    /// `atRiskMinimumRisk` or `loyalMinimumSentiment`; neither is monotone in time, so the state is sampled
    /// hourly (at most 256 samples) and the first change narrowed down by bisection.
    private func firstDriftingChange(of facts: CustomerFacts, after now: Date, before horizon: Date) -> Date? {
        let span = horizon.timeIntervalSince(now)
        guard span > 1 else { return nil }
        var facts = facts
        facts.reviews.sort { ($0.writtenAt, $0.reviewId) > ($1.writtenAt, $1.reviewId) }  // re-sorting is then linear
        let state = assess(facts, at: now).state
        // Time alone only deepens churn.
        guard state != .churned else { return nil }
        let step = max(3_600, span / 256)
        var unchanged = now
        while unchanged < horizon {
            var changed = min(unchanged.addingTimeInterval(step), horizon)
            if assess(facts, at: changed).state != state {
                while changed.timeIntervalSince(unchanged) > 1 {
                    let middle = unchanged.addingTimeInterval(changed.timeIntervalSince(unchanged) / 2)
                    if assess(facts, at: middle).state != state { changed = middle } else { unchanged = middle }
                }
                return max(changed, now.addingTimeInterval(1))
            }
            unchanged = changed
        }
        return nil
    }
}
