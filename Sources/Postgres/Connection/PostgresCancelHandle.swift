import Foundation

/// Cancels the statement a connection is running, from any thread: what a caller holds while another thread is
/// blocked in the connection (a statement waiting for a lock, a `pg_sleep`).
///
/// The cancelled statement throws a ``PostgresError`` with code `.cancelled` and SQLSTATE 57014; the connection
/// stays usable (a transaction it was in is aborted and must be rolled back, as `withTransaction` does). A
/// request that arrives while the connection is idle is ignored by the server.
///
/// ```swift
/// let cancel = connection.cancelHandle
/// Thread { Thread.sleep(forTimeInterval: 1); cancel.cancel() }.start()
/// try connection.execute("SELECT pg_sleep(30)")  // throws .cancelled after a second
/// ```
public final class PostgresCancelHandle: Sendable {
    /// The longest ``cancel()`` waits for the server to take a request (seconds). libpq opens a connection to the
    /// server for each request and, in PostgreSQL 15, has no timeout of its own: a server that drops packets or
    /// never answers would hold the caller for minutes. After the limit `cancel()` returns false and the request is
    /// left to end on its own thread.
    public static let requestTimeLimit: TimeInterval = 3

    private let state: Locked<State>

    private struct State {
        /// libpq's cancel object; nil once the connection is closed (requests still running keep it alive).
        var request: CancelRequest?
        /// A cancel was requested since the current statement started: its 57014 is ours, not a statement_timeout.
        var requested = false
        /// Statements are refused until ``allowStatements()`` (a pooled run that was cancelled).
        var refusing = false
    }

    init(connection: OpaquePointer) {
        state = Locked(State(request: CancelRequest(connection: connection)))
    }

    deinit {
        invalidate()
    }

    /// Asks the server to cancel the statement running now. Returns false when the request could not be sent (the
    /// connection is closed, or the server did not take the request), or when the server did not answer within
    /// ``requestTimeLimit``: that request may still reach the server later, and then cancels whatever statement the
    /// connection runs at that moment (a pool closes such a connection instead of reusing it). Blocks while it opens
    /// a short connection to the server, so call it from a thread that may block, not from Swift's cooperative
    /// pool; nothing else on the connection waits for it.
    @discardableResult
    public func cancel() -> Bool {
        let request = state.withLock { state -> CancelRequest? in
            guard let request = state.request else { return nil }
            state.requested = true
            return request
        }
        // Outside the lock: statements and `invalidate()` do not wait for the server to answer.
        return request?.send(waitingAtMost: Self.requestTimeLimit) ?? false
    }

    /// Cancels every statement that this process's connections are running now, and waits at most `limit` seconds
    /// for the server to take the requests; returns how many it took. For a process that is about to exit before its
    /// statements end (a second Ctrl-C, a shutdown cut short): its backends would otherwise go on running them —
    /// waiting for a lock, say — until `statement_timeout`, as a backend does not notice that its client is gone.
    /// Blocks the calling thread; the process's idle connections are left alone.
    @discardableResult
    public static func cancelEveryRunningStatement(waitingAtMost limit: TimeInterval = 1) -> Int {
        RunningStatements.cancelAll(waitingAtMost: limit)
    }

    /// Whether a request that ``cancel()`` gave up waiting for may still reach the server.
    var hasRequestInFlight: Bool {
        state.withLock { $0.request }?.isInFlight ?? false
    }

    /// Makes every later statement throw `.cancelled` before it is sent, until ``allowStatements()``; a pool uses it
    /// for a cancelled task, whose next statement would otherwise run uncancelled (the server ignores a cancel
    /// request that arrives between statements). ROLLBACK is exempt (``PostgresConnection/rollbackQuietly(after:)``).
    func refuseStatements() {
        state.withLock { $0.refusing = true }
    }

    /// Lets statements run again (the pool's next run).
    func allowStatements() {
        state.withLock { $0.refusing = false }
    }

    /// Called before a statement is sent: throws when statements are refused, and forgets an earlier request.
    func startStatement(sql: String, file: String, line: Int) throws {
        let refusing = state.withLock { state in
            state.requested = false
            return state.refusing
        }
        guard refusing else {
            RunningStatements.started(self)
            return
        }
        var error = PostgresError(
            code: .cancelled, message: "the statement was cancelled before it was sent", file: file, line: line)
        error.query = sql
        throw error
    }

    /// Called when a statement that ``startStatement(sql:file:line:)`` let through has ended, however it ended.
    func endStatement() {
        RunningStatements.ended(self)
    }

    /// Whether a cancel was requested since the current statement started.
    var wasRequested: Bool {
        state.withLock { $0.requested }
    }

    /// Lets go of libpq's cancel object, which is freed once no request uses it; later requests return false.
    /// Called when the connection closes.
    func invalidate() {
        state.withLock { $0.request = nil }
    }
}
