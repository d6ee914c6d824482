import Testing

@testable import OndoServer

/// How long an idle review worker waits before it looks for work again without a notification.
@Suite struct IdleWaitTests {
    @Test func theWaitDoublesFromTwentyMillisecondsUpToThePollInterval() {
        let waits = (0..<8).map { ReviewWorkers.idleWait(after: $0, pollInterval: 1) }
        #expect(waits == [0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1, 1])
    }

    /// It stopped growing at 20.48 s (ten doublings), so `pollIntervalSeconds` 60 still polled every 20.48 s.
    @Test func aLongPollIntervalIsReached() {
        #expect(ReviewWorkers.idleWait(after: 11, pollInterval: 60) == 40.96)
        #expect(ReviewWorkers.idleWait(after: 12, pollInterval: 60) == 60)
        #expect(ReviewWorkers.idleWait(after: 1_000, pollInterval: PipelineSettings.maximumIntervalSeconds) == 86_400)
    }
}
