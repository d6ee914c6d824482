import Foundation

/// Workspaces kept between calls, so that scoring one review at a time does not reallocate the
/// activation buffers on every call. Thread-safe: each borrower gets a workspace of its own.
final class WorkspacePool: @unchecked Sendable {
    /// Workspaces kept at most (more are simply dropped when given back).
    static let capacity = 8

    private let lock = NSLock()
    private var free: [NetworkWorkspace] = []

    /// Runs `body` with a workspace no other thread is using.
    func with<Result>(_ body: (NetworkWorkspace) -> Result) -> Result {
        let workspace = lock.withLock { free.popLast() } ?? NetworkWorkspace()
        defer { lock.withLock { if free.count < Self.capacity { free.append(workspace) } } }
        return body(workspace)
    }
}
