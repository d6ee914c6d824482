import Foundation

/// Blocking work (starting a cluster, a migration, a libpq call outside a pool) run on a thread of its own and
/// awaited, so it never occupies one of the cooperative pool's few threads.
public enum BlockingWork {
    /// Runs `work` on a new thread and returns its result.
    public static func run<Result: Sendable>(_ work: @escaping @Sendable () throws -> Result) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Swift.Result { try work() }) }.start()
        }
    }
}
