import Foundation
import Testing

@testable import OndoServer

/// The signal that wakes idle workers: a ring must never be lost, whenever it lands relative to a waiter.
@Suite struct WorkSignalTests {
    @Test(.timeLimit(.minutes(1)))
    func aRingWithNobodyWaitingWakesTheNextWaiter() async {
        let signal = WorkSignal()
        signal.ring()
        await signal.wait(timeout: .seconds(3_600))
    }

    @Test func aWaiterWithoutARingWaitsForItsTimeout() async {
        let signal = WorkSignal()
        let started = ContinuousClock.now
        await signal.wait(timeout: .milliseconds(200))
        #expect(started.duration(to: .now) >= .milliseconds(200))
    }

    /// A ring that lands after a waiter took its id but before it registered its continuation was kept for the next
    /// wait only, so this waiter slept until its timeout: an hour here, so the test's time limit fails it. (No
    /// tighter clock: in the full suite, busy threads delayed this wake-up by up to 23 s.)
    @Test(.timeLimit(.minutes(1)))
    func aRingBetweenTakingAnIdAndRegisteringWakesThatWaiter() async {
        let signal = WorkSignal(beforeRegistering: { $0.ring() })
        await signal.wait(timeout: .seconds(3_600))
    }
}
