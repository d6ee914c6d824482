/// An error from the PostgreSQL layer: a failed connection, a statement the server refused, a value that
/// could not be decoded, or a misuse of the API.
///
/// `description` is short and safe to show to a user: it never contains a password, a connection string or a
/// bound value. `debugDescription` adds the server's detail, hint and the query text (bind values are never
/// part of it: queries carry `$n` placeholders only).
public struct PostgresError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// An opaque category of failure; compare with the static members (`error.code == .server`).
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private let name: String

        private init(_ name: String) {
            self.name = name
        }

        /// Connecting to the server failed (unreachable, authentication, bad database name, timeout).
        public static let connection = Code("connection")
        /// The connection broke while a statement was running; the statement's outcome is unknown.
        public static let connectionClosed = Code("connectionClosed")
        /// The server reported an error for a statement; see `sqlState`.
        public static let server = Code("server")
        /// A column value could not be decoded into the requested Swift type.
        public static let decoding = Code("decoding")
        /// A Swift value could not be encoded as a parameter (for example text containing a NUL character).
        public static let encoding = Code("encoding")
        /// `COMMIT` found the transaction already aborted by an earlier failed statement; nothing was committed.
        public static let transactionRolledBack = Code("transactionRolledBack")
        /// The pool was closed before or while waiting for a connection.
        public static let poolClosed = Code("poolClosed")
        /// The waiting task was cancelled, or a statement was cancelled on request (``PostgresCancelHandle``,
        /// SQLSTATE 57014 then; a `statement_timeout` reports the same SQLSTATE with code `.server`).
        public static let cancelled = Code("cancelled")
        /// The configuration is unusable (unparsable connection string, unreadable password file).
        public static let configuration = Code("configuration")
        /// The server answered in a way this library does not expect (for example COPY where rows were expected).
        public static let unexpectedResponse = Code("unexpectedResponse")
        /// The API was used in a way it does not support.
        public static let misuse = Code("misuse")

        /// The code's name, for logs.
        public var description: String { name }
    }

    /// What kind of failure this is.
    public var code: Code
    /// A human-readable message: the server's primary message, or the library's own sentence.
    public var message: String
    /// The five-character SQLSTATE the server reported (`23505` for a unique violation), if any.
    public var sqlState: String?
    /// The server's severity (`ERROR`, `FATAL`, …), if any.
    public var severity: String?
    /// The server's detail message; may contain data values, so it appears in `debugDescription` only.
    public var detail: String?
    /// The server's hint, if any.
    public var hint: String?
    /// The name of the violated constraint, if any.
    public var constraint: String?
    /// The schema of the object involved, if any.
    public var schema: String?
    /// The table involved, if any.
    public var table: String?
    /// The column involved, if any.
    public var column: String?
    /// The 1-based character position in the query that the server pointed at, if any.
    public var position: Int?
    /// The query text with `$n` placeholders (bind values are never recorded), if a query was running.
    public var query: String?
    /// How many bind values the query had; their values are redacted.
    public var bindCount: Int
    /// The Swift source file that issued the failing call.
    public var file: String
    /// The line in `file`.
    public var line: Int

    /// Creates an error; library code fills the server fields from libpq.
    public init(
        code: Code,
        message: String,
        sqlState: String? = nil,
        query: String? = nil,
        bindCount: Int = 0,
        file: String = #fileID,
        line: Int = #line
    ) {
        self.code = code
        self.message = message
        self.sqlState = sqlState
        self.query = query
        self.bindCount = bindCount
        self.file = file
        self.line = line
    }

    /// True for failures of the connection itself (the server restarted, the backend was terminated, the pool
    /// closed), after which the same work may simply be retried on a new connection.
    public var isConnectionFailure: Bool {
        if code == .connection || code == .connectionClosed || code == .poolClosed { return true }
        guard let sqlState else { return false }
        // Class 08 is "connection exception".
        return sqlState.hasPrefix("08")
            || [SQLState.adminShutdown, SQLState.crashShutdown, SQLState.cannotConnectNow].contains(sqlState)
    }

    /// True when `error` is a ``PostgresError`` that ``isConnectionFailure``.
    public static func isConnectionFailure(_ error: any Error) -> Bool {
        (error as? PostgresError)?.isConnectionFailure == true
    }

    /// True when the server reported SQLSTATE `state` (for example `"23505"`).
    public func hasSQLState(_ state: String) -> Bool {
        sqlState == state
    }

    /// A short, safe sentence: the category, the SQLSTATE and the primary message.
    public var description: String {
        var text = "PostgreSQL \(code)"
        if let sqlState { text += " \(sqlState)" }
        if let constraint { text += " (constraint \(constraint))" }
        return text + ": " + message
    }

    /// The full picture for developers: detail, hint, object names, the query with redacted binds, source.
    public var debugDescription: String {
        var parts = [description]
        if let severity { parts.append("severity: \(severity)") }
        if let detail { parts.append("detail: \(detail)") }
        if let hint { parts.append("hint: \(hint)") }
        let object = [schema, table, column].compactMap { $0 }.joined(separator: ".")
        if !object.isEmpty { parts.append("object: \(object)") }
        if let position { parts.append("position: \(position)") }
        if let query {
            let shown = query.count > 2_000 ? String(query.prefix(2_000)) + "…" : query
            parts.append("query: \(shown) [\(bindCount) bind value(s) redacted]")
        }
        parts.append("at: \(file):\(line)")
        return parts.joined(separator: "\n  ")
    }
}

extension PostgresError {
    /// SQLSTATE values that callers commonly test for.
    public enum SQLState {
        /// `23505`: a unique constraint was violated.
        public static let uniqueViolation = "23505"
        /// `23514`: a CHECK constraint was violated.
        public static let checkViolation = "23514"
        /// `23502`: a NOT NULL constraint was violated.
        public static let notNullViolation = "23502"
        /// `23503`: a foreign key constraint was violated.
        public static let foreignKeyViolation = "23503"
        /// `42501`: insufficient privilege.
        public static let insufficientPrivilege = "42501"
        /// `40001`: serialization failure; retry the transaction.
        public static let serializationFailure = "40001"
        /// `40P01`: deadlock detected; retry the transaction.
        public static let deadlockDetected = "40P01"
        /// `57014`: the statement was cancelled (by `statement_timeout`, or on request: ``PostgresCancelHandle``).
        public static let queryCanceled = "57014"
        /// `57P01`: the server terminated the connection (administrator command or shutdown).
        public static let adminShutdown = "57P01"
        /// `57P02`: the server is recovering from a crash and ended the connection.
        public static let crashShutdown = "57P02"
        /// `57P03`: the server is starting or shutting down and accepts no connections yet.
        public static let cannotConnectNow = "57P03"
        /// `25P02`: a statement was sent inside an already-aborted transaction.
        public static let inFailedTransaction = "25P02"
    }
}
