import CRM
import Testing

@Suite struct RetryPolicyTests {
    @Test func backsOffExponentiallyThenDiscards() {
        let policy = RetryPolicy(maximumAttempts: 5, initialDelaySeconds: 2, maximumDelaySeconds: 10)
        #expect(policy.decision(afterFailedAttempt: 1) == .retry(afterSeconds: 2))
        #expect(policy.decision(afterFailedAttempt: 2) == .retry(afterSeconds: 4))
        #expect(policy.decision(afterFailedAttempt: 3) == .retry(afterSeconds: 8))
        #expect(policy.decision(afterFailedAttempt: 4) == .retry(afterSeconds: 10))
        #expect(policy.decision(afterFailedAttempt: 5) == .discard)
        #expect(policy.decision(afterFailedAttempt: 9) == .discard)
    }

    @Test func oneAttemptMeansNoRetry() {
        #expect(
            RetryPolicy(maximumAttempts: 1, initialDelaySeconds: 1, maximumDelaySeconds: 1).decision(
                afterFailedAttempt: 1) == .discard)
    }

    @Test func invalidPoliciesAreExplained() {
        let problems = RetryPolicy(maximumAttempts: 0, initialDelaySeconds: 5, maximumDelaySeconds: 1).problems()
        #expect(
            problems == [
                "maximumAttempts must be at least 1 (it is 0)",
                "maximumDelaySeconds (1.0) must not be less than initialDelaySeconds (5.0)",
            ])
        // A delay of 1e16 s used to pass, and then failed every attempt to record a failure (make_interval).
        #expect(
            RetryPolicy(maximumAttempts: 3, initialDelaySeconds: 1, maximumDelaySeconds: 1e16).problems()
                == ["maximumDelaySeconds must be at most 86400 (a day; it is 1e+16)"])
        #expect(RetryPolicy(maximumAttempts: 3, initialDelaySeconds: 1, maximumDelaySeconds: 86_400).problems().isEmpty)
    }
}
