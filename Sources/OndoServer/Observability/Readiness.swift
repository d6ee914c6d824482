import Synchronization

/// What `/readyz` reports: ready once the model is loaded, the database answered and the workers
/// run; not ready while a worker keeps failing, or while shutting down. Thread-safe.
public final class Readiness: Sendable {
    private struct Flags {
        var modelLoaded = false
        var databaseReachable = false
        var workersRunning = false
        var shuttingDown = false
        var failingWorkers: Set<Int> = []
    }

    private let flags = Mutex(Flags())

    /// Starts not ready.
    public init() {}

    /// Records that the sentiment model is loaded.
    public func modelLoaded() { flags.withLock { $0.modelLoaded = true } }
    /// Records whether the last database round trip succeeded.
    public func database(reachable: Bool) { flags.withLock { $0.databaseReachable = reachable } }
    /// Records whether the review workers are running.
    public func workers(running: Bool) { flags.withLock { $0.workersRunning = running } }
    /// Records whether worker `index` keeps failing for a reason other than a lost connection (a read-only
    /// standby, a missing privilege, …): every batch it tries fails, although the database answers.
    public func worker(_ index: Int, failing: Bool) {
        flags.withLock { flags in
            if failing { flags.failingWorkers.insert(index) } else { flags.failingWorkers.remove(index) }
        }
    }
    /// Records that the server is draining for shutdown.
    public func shuttingDown() { flags.withLock { $0.shuttingDown = true } }

    /// Nil when ready, else the reasons it is not, as one line.
    public var notReadyReason: String? {
        flags.withLock { f in
            var reasons: [String] = []
            if !f.modelLoaded { reasons.append("sentiment model not loaded") }
            if !f.databaseReachable { reasons.append("database unreachable") }
            if !f.workersRunning { reasons.append("review workers not running") }
            if !f.failingWorkers.isEmpty {
                reasons.append("\(f.failingWorkers.count) review worker(s) failing every attempt (see the log)")
            }
            if f.shuttingDown { reasons.append("shutting down") }
            return reasons.isEmpty ? nil : reasons.joined(separator: "; ")
        }
    }
}
