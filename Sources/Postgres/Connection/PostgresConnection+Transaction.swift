import CLibPQ
import Logging

/// How a transaction runs: isolation level and access mode.
public struct PostgresTransactionOptions: Sendable, Hashable {
    /// The SQL isolation level.
    public enum IsolationLevel: String, Sendable, Hashable {
        /// Each statement sees data committed before it began (PostgreSQL's default).
        case readCommitted = "READ COMMITTED"
        /// The whole transaction sees one snapshot.
        case repeatableRead = "REPEATABLE READ"
        /// As if transactions ran one after another; be ready to retry on SQLSTATE 40001.
        case serializable = "SERIALIZABLE"
    }

    /// The isolation level; `nil` keeps the session default.
    public var isolation: IsolationLevel?
    /// True for `READ ONLY`.
    public var readOnly: Bool

    /// The session's default isolation, read-write.
    public init(isolation: IsolationLevel? = nil, readOnly: Bool = false) {
        self.isolation = isolation
        self.readOnly = readOnly
    }

    /// READ COMMITTED, read-write, whatever the session's default.
    public static let readCommitted = PostgresTransactionOptions(isolation: .readCommitted)

    var beginStatement: String {
        var sql = "BEGIN"
        if let isolation { sql += " ISOLATION LEVEL " + isolation.rawValue }
        if readOnly { sql += " READ ONLY" }
        return sql
    }
}

extension PostgresConnection {
    /// Runs `body` in a transaction: `COMMIT` when it returns, `ROLLBACK` when it throws.
    ///
    /// The error `body` threw is the one you get, even if the rollback fails too (the connection is then
    /// broken and a pool replaces it). If a statement failed inside `body` and `body` caught the error, the
    /// transaction is aborted: nothing is committed and this throws `.transactionRolledBack`.
    /// Called inside another transaction, it runs `body` in a savepoint instead (see `withSavepoint`).
    @discardableResult
    public func withTransaction<Result>(
        _ options: PostgresTransactionOptions = PostgresTransactionOptions(),
        file: String = #fileID, line: Int = #line,
        _ body: (PostgresConnection) throws -> Result
    ) throws -> Result {
        if isInTransaction {
            return try withSavepoint(file: file, line: line, body)
        }
        try execute(PostgresQuery(unsafeSQL: options.beginStatement), file: file, line: line)
        let result: Result
        do {
            result = try body(self)
        } catch {
            rollbackQuietly(after: error)
            throw error
        }
        try commit(file: file, line: line)
        return result
    }

    /// Runs `body` inside a savepoint of the current transaction: released when it returns, rolled back to
    /// (undoing only `body`'s work, and leaving the transaction usable) when it throws.
    @discardableResult
    public func withSavepoint<Result>(
        file: String = #fileID, line: Int = #line, _ body: (PostgresConnection) throws -> Result
    ) throws -> Result {
        guard isInTransaction else {
            throw PostgresError(
                code: .misuse, message: "withSavepoint needs an open transaction", file: file, line: line)
        }
        savepointCounter += 1
        let name = "ondo_savepoint_\(savepointCounter)"
        try execute(PostgresQuery(unsafeSQL: "SAVEPOINT \(name)"), file: file, line: line)
        let result: Result
        do {
            result = try body(self)
        } catch {
            do {
                try execute(PostgresQuery(unsafeSQL: "ROLLBACK TO SAVEPOINT \(name)"), file: file, line: line)
                try execute(PostgresQuery(unsafeSQL: "RELEASE SAVEPOINT \(name)"), file: file, line: line)
            } catch let rollbackError {
                logger.debug(
                    "rollback to savepoint failed", metadata: ["ondo.error": "\(rollbackError)"])
            }
            throw error
        }
        try execute(PostgresQuery(unsafeSQL: "RELEASE SAVEPOINT \(name)"), file: file, line: line)
        return result
    }

    private func commit(file: String, line: Int) throws {
        let handle = try liveHandle(sql: "COMMIT", file: file, line: line)
        let aborted = PQtransactionStatus(handle) == PQTRANS_INERROR
        let tag = try query("COMMIT", file: file, line: line).commandTag
        if aborted || tag == "ROLLBACK" {
            throw PostgresError(
                code: .transactionRolledBack,
                message: "the transaction was rolled back because a statement in it failed; nothing was committed",
                query: "COMMIT", file: file, line: line)
        }
    }

    /// Rolls back after `error`; a failing rollback is logged, never thrown over the original error.
    func rollbackQuietly(after error: any Error) {
        guard isConnected, isInTransaction else { return }
        isRollingBack = true
        defer { isRollingBack = false }
        do {
            try execute("ROLLBACK")
        } catch let rollbackError {
            logger.debug(
                "rollback failed",
                metadata: ["ondo.error": "\(rollbackError)", "ondo.original_error": "\(String(describing: error))"])
        }
    }
}
