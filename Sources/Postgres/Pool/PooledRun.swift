import Dispatch
import Foundation

/// One checkout's run of a closure on a pooled connection, cancelled when its task is: the statement it runs is
/// cancelled and the statements after it are refused, so that a task waiting on a lock stops waiting.
final class PooledRun: Sendable {
    private let state = Locked(State())

    private struct State {
        var cancelled = false
        var finished = false
        /// The connection's handle while the closure runs.
        var handle: PostgresCancelHandle?
    }

    /// How often, and how far apart, the statement is cancelled: a request that reaches the server between two
    /// statements is ignored, and the next statement may already have been sent when refusing starts.
    static let cancelTries = 5
    static let cancelSpacing: TimeInterval = 0.1

    /// Called on the connection's queue before the closure runs; false when the task was already cancelled.
    func begin(_ handle: PostgresCancelHandle) -> Bool {
        state.withLock { state in
            guard !state.cancelled else { return false }
            state.handle = handle
            return true
        }
    }

    /// Called on the connection's queue when the closure has returned: no cancel reaches the connection after this,
    /// so the next run's statements are safe from this one's cancellation.
    func end() {
        state.withLock { state in
            state.finished = true
            state.handle?.allowStatements()
            state.handle = nil
        }
    }

    /// The task was cancelled: refuse further statements and cancel the running one, off the caller's thread (a
    /// cancel request opens a connection to the server, and cancellation handlers run on the cancelling thread).
    func cancel() {
        let handle = state.withLock { state -> PostgresCancelHandle? in
            state.cancelled = true
            state.handle?.refuseStatements()
            return state.handle
        }
        guard handle != nil else { return }
        DispatchQueue.global().async {
            for attempt in 0..<Self.cancelTries {
                if attempt > 0 { Thread.sleep(forTimeInterval: Self.cancelSpacing) }
                guard self.cancelIfRunning() else { return }
            }
        }
    }

    /// Cancels the running statement if the closure still runs; the lock keeps `end` (and so the next run) waiting
    /// until the request has reached the server, or until ``PostgresCancelHandle/requestTimeLimit``. False when
    /// there is nothing more to try: the closure ended, or the server did not answer in time (another request would
    /// only wait as long; the pool closes the connection instead of reusing it, ``PooledConnection``).
    private func cancelIfRunning() -> Bool {
        state.withLock { state in
            guard !state.finished, let handle = state.handle else { return false }
            return handle.cancel() || !handle.hasRequestInFlight
        }
    }
}
