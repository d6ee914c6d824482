import Synchronization

/// What `/readyz` reports: ready once the model is loaded, the database answered and the workers
/// run; not ready while shutting down. Thread-safe.
public final class Readiness: Sendable {
    private struct Flags {
        var modelLoaded = false
        var databaseReachable = false
        var workersRunning = false
        var shuttingDown = false
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
    /// Records that the server is draining for shutdown.
    public func shuttingDown() { flags.withLock { $0.shuttingDown = true } }

    /// Nil when ready, else the reasons it is not, as one line.
    public var notReadyReason: String? {
        flags.withLock { f in
            var reasons: [String] = []
            if !f.modelLoaded { reasons.append("sentiment model not loaded") }
            if !f.databaseReachable { reasons.append("database unreachable") }
            if !f.workersRunning { reasons.append("review workers not running") }
            if f.shuttingDown { reasons.append("shutting down") }
            return reasons.isEmpty ? nil : reasons.joined(separator: "; ")
        }
    }
}
