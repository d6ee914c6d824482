import CLibPQ

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
    private let state: Locked<State>

    private struct State {
        /// libpq's cancel object; nil once the connection is closed.
        var cancel: OpaquePointer?
        /// A cancel was requested since the current statement started: its 57014 is ours, not a statement_timeout.
        var requested = false
        /// Statements are refused until ``allowStatements()`` (a pooled run that was cancelled).
        var refusing = false
    }

    init(connection: OpaquePointer) {
        state = Locked(State(cancel: PQgetCancel(connection)))
    }

    deinit {
        invalidate()
    }

    /// Asks the server to cancel the statement running now. Returns false when the request could not be sent (the
    /// connection is closed, or the server did not take the request). Blocks while it opens a short connection to
    /// the server, so call it from a thread that may block, not from Swift's cooperative pool.
    @discardableResult
    public func cancel() -> Bool {
        state.withLock { state in
            guard let cancel = state.cancel else { return false }
            state.requested = true
            // libpq fills this buffer with a reason on failure; it is not needed beyond the result.
            var reason = [CChar](repeating: 0, count: 256)
            return PQcancel(cancel, &reason, Int32(reason.count)) == 1
        }
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
        guard refusing else { return }
        var error = PostgresError(
            code: .cancelled, message: "the statement was cancelled before it was sent", file: file, line: line)
        error.query = sql
        throw error
    }

    /// Whether a cancel was requested since the current statement started.
    var wasRequested: Bool {
        state.withLock { $0.requested }
    }

    /// Frees libpq's cancel object; later requests return false. Called when the connection closes.
    func invalidate() {
        state.withLock { state in
            if let cancel = state.cancel { PQfreeCancel(cancel) }
            state.cancel = nil
        }
    }
}
