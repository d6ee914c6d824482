import Foundation
import Testing

@testable import OndoServer

/// The signal that wakes idle workers: a ring must never be lost, whenever it lands relative to a waiter.
@Suite struct WorkSignalTests {
    @Test func aRingWithNobodyWaitingWakesTheNextWaiterAtOnce() async {
        let signal = WorkSignal()
        signal.ring()
        let started = ContinuousClock.now
        await signal.wait(timeout: .seconds(10))
        #expect(started.duration(to: .now) < .seconds(1))
    }

    @Test func aWaiterWithoutARingWaitsForItsTimeout() async {
        let signal = WorkSignal()
        let started = ContinuousClock.now
        await signal.wait(timeout: .milliseconds(200))
        #expect(started.duration(to: .now) >= .milliseconds(200))
    }

    /// A ring that lands after a waiter took its id but before it registered its continuation was kept for the next
    /// wait only, so this waiter slept until its timeout.
    @Test func aRingBetweenTakingAnIdAndRegisteringWakesThatWaiter() async {
        let signal = WorkSignal(beforeRegistering: { $0.ring() })
        let started = ContinuousClock.now
        await signal.wait(timeout: .seconds(5))
        #expect(started.duration(to: .now) < .seconds(2))
    }
}
