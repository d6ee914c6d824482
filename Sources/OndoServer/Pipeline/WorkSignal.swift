import Synchronization

/// Wakes idle workers: a NOTIFY, a reconnect (catch-up) or shutdown rings it; workers wait on it with a
/// timeout, which is the polling safety net. A ring with nobody waiting is remembered for the next waiter.
final class WorkSignal: Sendable {
    private enum Waiter {
        case waiting(CheckedContinuation<Void, Never>)
        /// Timed out before its continuation was registered: resume it as soon as it is.
        case finished
    }

    private struct State {
        var pending = false
        var nextId: UInt64 = 0
        var waiters: [UInt64: Waiter] = [:]
    }

    private let state = Mutex(State())
    /// Tests only: runs in a waiter after it took its id and before it registers, where a ring is easiest to lose.
    private let beforeRegistering: (@Sendable (WorkSignal) -> Void)?

    init(beforeRegistering: (@Sendable (WorkSignal) -> Void)? = nil) {
        self.beforeRegistering = beforeRegistering
    }

    /// Wakes every waiting worker (or the next one to wait).
    func ring() {
        let continuations = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            var woken: [CheckedContinuation<Void, Never>] = []
            for (id, waiter) in state.waiters {
                if case .waiting(let continuation) = waiter {
                    woken.append(continuation)
                    state.waiters[id] = nil
                }
            }
            if woken.isEmpty { state.pending = true }
            return woken
        }
        for continuation in continuations { continuation.resume() }
    }

    /// Returns when rung, after `timeout`, or when the task is cancelled, whichever comes first.
    func wait(timeout: Duration) async {
        let id = state.withLock { state -> UInt64? in
            if state.pending {
                state.pending = false
                return nil
            }
            state.nextId += 1
            return state.nextId
        }
        guard let id else { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                self.beforeRegistering?(self)
                await withCheckedContinuation { continuation in
                    let finishedEarly = self.state.withLock { state -> Bool in
                        if case .finished = state.waiters[id] {
                            state.waiters[id] = nil
                            return true
                        }
                        // A ring between taking the id and getting here found no one waiting and was remembered:
                        // it was meant for this waiter, which would otherwise sleep until its timeout.
                        if state.pending {
                            state.pending = false
                            return true
                        }
                        state.waiters[id] = .waiting(continuation)
                        return false
                    }
                    if finishedEarly { continuation.resume() }
                }
            }
            group.addTask { try? await Task.sleep(for: timeout) }
            await group.next()
            group.cancelAll()
            // Resume the continuation exactly once, whether or not it is registered yet.
            let waiting = state.withLock { state -> CheckedContinuation<Void, Never>? in
                switch state.waiters[id] {
                case .waiting(let continuation):
                    state.waiters[id] = nil
                    return continuation
                case .finished:
                    return nil
                case nil:
                    // Either rung (already resumed) or not registered yet: mark it so registration resumes.
                    state.waiters[id] = .finished
                    return nil
                }
            }
            waiting?.resume()
        }
        // A ring may have resumed it while the entry was marked finished afterwards: clear the marker.
        state.withLock { state in
            if case .finished = state.waiters[id] {
                // Registration already happened and was resumed by ring(); nothing will consume the marker.
                state.waiters[id] = nil
            }
        }
    }
}
