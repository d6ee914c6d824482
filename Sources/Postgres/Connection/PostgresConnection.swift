import CLibPQ
import Foundation
import Logging

/// One session with a PostgreSQL server, owning a libpq `PGconn`.
///
/// Every call blocks the calling thread until the server answers, so a connection belongs to one thread at a
/// time and is not `Sendable`. In async code use `PostgresPool`, which runs each connection on its own serial
/// queue, off Swift's cooperative thread pool.
///
/// ```swift
/// let rows = try connection.query("SELECT id, email FROM shop.customers WHERE id = \(id)")
/// for row in rows { print(try row.decode(Int64.self, "id"), try row.decode(String?.self, "email")) }
/// ```
public final class PostgresConnection {
    private var handle: OpaquePointer?
    let logger: Logger
    private let noticeSink: NoticeSink
    var preparedStatements: [PreparedKey: PostgresPreparedStatement] = [:]
    /// Numbers prepared statements' names; never reused, even after a statement was forgotten.
    var preparedStatementCounter = 0
    var savepointCounter = 0
    /// True when a connection pooler answers for the server (see ``checkForPooler(statementTimeoutMilliseconds:)``):
    /// statements asked to be prepared run unnamed instead.
    public internal(set) var isPooled = false
    /// Set while `rollbackQuietly` runs: a ROLLBACK is sent even when the cancel handle refuses statements.
    var isRollingBack = false
    /// Cancels the statement this connection is running, from another thread (see ``PostgresCancelHandle``).
    public let cancelHandle: PostgresCancelHandle
    /// `user@host:port/dbname` of this connection, for logs.
    public let endpoint: String

    /// Connects with `PQconnectdbParams` (blocking). The password file is read now and the password is not kept.
    ///
    /// Throws `PostgresError` with code `.connection`; the message says why and never contains a password.
    public init(configuration: PostgresConfiguration, logger: Logger) throws {
        let parameters = try configuration.connectParameters()
        let keywords = CStringArray(parameters.map(\.0))
        let values = CStringArray(parameters.map(\.1))
        let handle = keywords.withNullTerminated { keys in
            values.withNullTerminated { values in PQconnectdbParams(keys, values, 1) }
        }
        guard let handle else {
            throw PostgresError(code: .connection, message: "libpq could not allocate a connection")
        }
        guard PQstatus(handle) == CONNECTION_OK else {
            var reason = String(cString: PQerrorMessage(handle)).trimmingTrailingNewlines()
            PQfinish(handle)
            // libpq's "timeout expired" says neither how long it waited nor that a setting decides it.
            if reason.hasSuffix("timeout expired"), let seconds = configuration.effectiveConnectTimeout {
                reason += " (no answer within \(seconds) s, the connect timeout)"
            }
            throw PostgresError(code: .connection, message: "cannot connect to \(configuration): \(reason)")
        }
        self.handle = handle
        self.cancelHandle = PostgresCancelHandle(connection: handle)
        self.logger = logger
        self.endpoint = configuration.description
        self.noticeSink = NoticeSink(logger: logger)
        PQsetNoticeReceiver(
            handle,
            { context, result in
                guard let context, let result else { return }
                Unmanaged<NoticeSink>.fromOpaque(context).takeUnretainedValue().receive(result)
            }, Unmanaged.passUnretained(noticeSink).toOpaque())
        logger.debug(
            "connected to postgres",
            metadata: ["ondo.db": "\(endpoint)", "ondo.backend_pid": "\(PQbackendPID(handle))"])
        try checkForPooler(statementTimeoutMilliseconds: configuration.statementTimeoutMilliseconds)
    }

    deinit {
        if let handle { PQfinish(handle) }
    }

    /// Closes the session. Further calls throw `PostgresError` with code `.connectionClosed`.
    public func close() {
        cancelHandle.invalidate()
        if let handle {
            PQfinish(handle)
            logger.debug("closed postgres connection", metadata: ["ondo.db": "\(endpoint)"])
        }
        handle = nil
    }

    /// The server process serving this session (`pg_backend_pid()`), or 0 when closed.
    public var backendPID: Int32 {
        handle.map { PQbackendPID($0) } ?? 0
    }

    /// The server's version as a number (`150018` for 15.18).
    public var serverVersion: Int {
        handle.map { Int(PQserverVersion($0)) } ?? 0
    }

    /// True inside `BEGIN … COMMIT`, including a transaction aborted by a failed statement.
    public var isInTransaction: Bool {
        guard let handle else { return false }
        return PQtransactionStatus(handle) != PQTRANS_IDLE && PQtransactionStatus(handle) != PQTRANS_UNKNOWN
    }

    /// False once libpq knows the session is gone (closed, or the server ended it).
    public var isConnected: Bool {
        guard let handle else { return false }
        return PQstatus(handle) == CONNECTION_OK
    }

    /// Checks, without a round trip, whether the session still works: reads anything the server sent while the
    /// connection was idle (such as a termination notice) and reports false when the server has hung up.
    public func checkHealth() -> Bool {
        guard let handle, PQstatus(handle) == CONNECTION_OK, !noticeSink.serverEndedSession else { return false }
        let socket = PQsocket(handle)
        guard socket >= 0 else { return false }
        for _ in 0..<4 {
            var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, 0)
            if ready == 0 { return true }
            if ready < 0 { return errno == EINTR }
            if PQconsumeInput(handle) == 0 { return false }
            while let notification = PQnotifies(handle) { PQfreemem(notification) }
            if PQstatus(handle) != CONNECTION_OK || noticeSink.serverEndedSession { return false }
        }
        return PQstatus(handle) == CONNECTION_OK
    }

    /// Runs a statement and returns all its rows.
    @discardableResult
    public func query(_ query: PostgresQuery, prepared: Bool = false, file: String = #fileID, line: Int = #line)
        throws -> PostgresRows
    {
        if let failure = query.encodingFailure {
            var error = PostgresError(code: .encoding, message: failure, file: file, line: line)
            error.query = query.sql
            error.bindCount = query.binds.count
            throw error
        }
        let sql = try query.render(escapingIdentifiers: escapeIdentifier)
        if prepared && !isPooled {
            return try queryPrepared(sql, binds: query.binds, file: file, line: line)
        }
        let handle = try liveHandle(sql: sql, file: file, line: line)
        try startStatement(sql: sql, file: file, line: line)
        defer { endStatement() }
        logger.trace("postgres query", metadata: ["ondo.sql": "\(sql)"])
        let types = query.binds.map { $0.type.oid }
        let values = CStringArray(query.binds.map(\.text))
        let result = values.withNullTerminated { values in
            PQexecParams(handle, sql, Int32(query.binds.count), types, values, nil, nil, 0)
        }
        return try consume(result, sql: sql, bindCount: query.binds.count, file: file, line: line)
    }

    /// Runs a statement and returns how many rows it inserted, updated, deleted or copied.
    @discardableResult
    public func execute(_ query: PostgresQuery, prepared: Bool = false, file: String = #fileID, line: Int = #line)
        throws -> Int
    {
        try self.query(query, prepared: prepared, file: file, line: line).affectedRows
    }

    /// The first column of the first row, decoded; throws `.unexpectedResponse` when there is no row.
    public func queryValue<Value: PostgresDecodable>(
        _ type: Value.Type, _ query: PostgresQuery, prepared: Bool = false, file: String = #fileID, line: Int = #line
    ) throws -> Value {
        let rows = try self.query(query, prepared: prepared, file: file, line: line)
        guard let row = rows.first else {
            var error = PostgresError(
                code: .unexpectedResponse, message: "the query returned no row", file: file, line: line)
            error.query = query.sql
            throw error
        }
        return try row.decode(type, at: 0)
    }

    /// Runs trusted SQL text that may hold several statements (a migration file) with the simple query
    /// protocol. It takes no binds: never pass text built from input.
    public func runScript(_ sql: String, file: String = #fileID, line: Int = #line) throws {
        let handle = try liveHandle(sql: sql, file: file, line: line)
        try startStatement(sql: sql, file: file, line: line)
        defer { endStatement() }
        logger.trace("postgres script", metadata: ["ondo.sql_bytes": "\(sql.utf8.count)"])
        _ = try consume(PQexec(handle, sql), sql: sql, bindCount: 0, file: file, line: line)
    }

    /// Quotes an identifier (table, column, channel name) with `PQescapeIdentifier`.
    public func escapeIdentifier(_ identifier: String) throws -> String {
        let handle = try liveHandle(sql: nil, file: #fileID, line: #line)
        guard !identifier.utf8.contains(0), let escaped = PQescapeIdentifier(handle, identifier, identifier.utf8.count)
        else {
            throw PostgresError(code: .encoding, message: "cannot escape identifier: \(lastErrorMessage(handle))")
        }
        defer { PQfreemem(escaped) }
        return String(cString: escaped)
    }

    // MARK: - Internals shared by the extensions

    func liveHandle(sql: String?, file: String, line: Int) throws -> OpaquePointer {
        guard let handle else {
            var error = PostgresError(
                code: .connectionClosed, message: "the connection is closed", file: file, line: line)
            error.query = sql
            throw error
        }
        return handle
    }

    /// Checks with the cancel handle that a statement may be sent now (a ROLLBACK always may), and counts it as
    /// running until ``endStatement()``, which every caller defers.
    func startStatement(sql: String, file: String, line: Int) throws {
        guard !isRollingBack else { return }
        try cancelHandle.startStatement(sql: sql, file: file, line: line)
    }

    /// The statement started by ``startStatement(sql:file:line:)`` has ended.
    func endStatement() {
        cancelHandle.endStatement()
    }

    /// Reads a result (and frees it): rows for success, `PostgresError` for failure.
    func consume(_ result: OpaquePointer?, sql: String?, bindCount: Int, file: String, line: Int) throws
        -> PostgresRows
    {
        let handle = try liveHandle(sql: sql, file: file, line: line)
        guard let result else {
            throw connectionError(handle, sql: sql, bindCount: bindCount, file: file, line: line)
        }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_TUPLES_OK, PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
            return Self.rows(from: result)
        case PGRES_COPY_IN, PGRES_COPY_OUT, PGRES_COPY_BOTH:
            abandonCopy(handle)
            var error = PostgresError(
                code: .misuse, message: "COPY must run through copyFrom(…)", file: file, line: line)
            error.query = sql
            throw error
        default:
            var error = PostgresError(result: result, file: file, line: line)
            error.query = sql
            error.bindCount = bindCount
            if PQstatus(handle) != CONNECTION_OK {
                error.code = .connectionClosed
            } else if error.sqlState == PostgresError.SQLState.queryCanceled && cancelHandle.wasRequested {
                // Ours, not a statement_timeout (which reports the same SQLSTATE).
                error.code = .cancelled
            }
            logger.debug("postgres error", metadata: ["ondo.error": "\(error)"])
            throw error
        }
    }

    func connectionError(_ handle: OpaquePointer, sql: String?, bindCount: Int, file: String, line: Int)
        -> PostgresError
    {
        let lost = PQstatus(handle) != CONNECTION_OK
        var error = PostgresError(
            code: lost ? .connectionClosed : .unexpectedResponse,
            message: lost
                ? "the connection to the server was lost: \(lastErrorMessage(handle))"
                : lastErrorMessage(handle), file: file, line: line)
        error.query = sql
        error.bindCount = bindCount
        return error
    }

    func lastErrorMessage(_ handle: OpaquePointer) -> String {
        String(cString: PQerrorMessage(handle)).trimmingTrailingNewlines()
    }

    /// Ends a COPY the caller did not ask for and drains its results.
    private func abandonCopy(_ handle: OpaquePointer) {
        _ = PQputCopyEnd(handle, "COPY is not supported here")
        var buffer: UnsafeMutablePointer<CChar>?
        while PQgetCopyData(handle, &buffer, 0) > 0 {
            PQfreemem(buffer)
        }
        while let next = PQgetResult(handle) { PQclear(next) }
    }

    private static func rows(from result: OpaquePointer) -> PostgresRows {
        let columnCount = Int(PQnfields(result))
        let rowCount = Int(PQntuples(result))
        let columns = (0..<columnCount).map { index in
            PostgresColumn(
                name: String(cString: PQfname(result, Int32(index))),
                type: PostgresDataType(oid: PQftype(result, Int32(index))))
        }
        var cells: [String?] = []
        cells.reserveCapacity(rowCount * columnCount)
        for row in 0..<Int32(rowCount) {
            for column in 0..<Int32(columnCount) {
                if PQgetisnull(result, row, column) == 1 {
                    cells.append(nil)
                } else {
                    let length = Int(PQgetlength(result, row, column))
                    let bytes = UnsafeRawPointer(PQgetvalue(result, row, column)).assumingMemoryBound(to: UInt8.self)
                    cells.append(String(decoding: UnsafeBufferPointer(start: bytes, count: length), as: UTF8.self))
                }
            }
        }
        let tag = String(cString: PQcmdStatus(result))
        let affected = Int(String(cString: PQcmdTuples(result))) ?? rowCount
        return PostgresRows(
            storage: PostgresRows.Storage(columns: columns, cells: cells, rowCount: rowCount),
            affectedRows: affected, commandTag: tag)
    }
}

/// Receives libpq notices (`NOTICE: … skipping`) and logs them instead of printing to stderr.
///
/// A FATAL error that arrives while the session is idle (the server terminating it) also comes here, as libpq
/// has no statement to attach it to; remembering it lets `checkHealth` see the session is ending before the
/// socket is closed.
private final class NoticeSink {
    let logger: Logger
    /// Set once the server announced that it is ending this session.
    private(set) var serverEndedSession = false

    init(logger: Logger) {
        self.logger = logger
    }

    func receive(_ result: OpaquePointer) {
        let severity = PQresultErrorField(result, Int32(UInt8(ascii: "V"))).map { String(cString: $0) } ?? ""
        if severity == "FATAL" || severity == "PANIC" { serverEndedSession = true }
        logger.debug(
            "postgres notice",
            metadata: [
                "ondo.severity": "\(severity)",
                "ondo.notice": "\(String(cString: PQresultErrorMessage(result)).trimmingTrailingNewlines())",
            ])
    }
}

extension PostgresError {
    /// Reads the diagnostic fields of a failed result.
    init(result: OpaquePointer, file: String, line: Int) {
        func field(_ code: Character) -> String? {
            guard let ascii = code.asciiValue, let value = PQresultErrorField(result, Int32(ascii)) else {
                return nil
            }
            return String(cString: value)
        }
        let fallback = String(cString: PQresultErrorMessage(result)).trimmingTrailingNewlines()
        self.init(
            code: .server, message: field("M") ?? (fallback.isEmpty ? "unknown server error" : fallback),
            sqlState: field("C"), file: file, line: line)
        severity = field("V") ?? field("S")
        detail = field("D")
        hint = field("H")
        constraint = field("n")
        schema = field("s")
        table = field("t")
        column = field("c")
        position = field("P").flatMap { Int($0) }
    }
}
