import Dispatch
import Foundation

/// The cancel handles of this process's connections that are running a statement now, so that a process told to
/// stop can cancel those statements before it exits
/// (``PostgresCancelHandle/cancelEveryRunningStatement(waitingAtMost:)``).
/// A backend does not notice that its client is gone while it waits for a lock or computes: without a cancel it goes
/// on until `statement_timeout`, holding its locks and a connection slot.
enum RunningStatements {
    private static let running = Locked([ObjectIdentifier: PostgresCancelHandle]())

    static func started(_ handle: PostgresCancelHandle) {
        running.withLock { $0[ObjectIdentifier(handle)] = handle }
    }

    static func ended(_ handle: PostgresCancelHandle) {
        _ = running.withLock { $0.removeValue(forKey: ObjectIdentifier(handle)) }
    }

    /// Whether `handle`'s connection is counted as running a statement now.
    static func isRunning(_ handle: PostgresCancelHandle) -> Bool {
        running.withLock { $0[ObjectIdentifier(handle)] != nil }
    }

    /// Sends a cancel request for each running statement, all at once, and waits for them at most `limit` seconds;
    /// returns how many the server took in that time.
    static func cancelAll(waitingAtMost limit: TimeInterval) -> Int {
        let handles = running.withLock { Array($0.values) }
        guard !handles.isEmpty else { return 0 }
        let group = DispatchGroup()
        let taken = Locked(0)
        for handle in handles {
            // Each request blocks its thread until the server answers (``PostgresCancelHandle/requestTimeLimit``).
            DispatchQueue.global().async(group: group) {
                if handle.cancel() { taken.withLock { $0 += 1 } }
            }
        }
        _ = group.wait(timeout: .now() + limit)
        return taken.withLock { $0 }
    }
}
