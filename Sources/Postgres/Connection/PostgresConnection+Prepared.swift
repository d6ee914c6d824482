import CLibPQ

/// A statement parsed and planned once on one connection, then executed many times with different binds.
///
/// It belongs to the connection that prepared it; a pool's replacement connection prepares it again.
public struct PostgresPreparedStatement: Sendable, Hashable {
    /// The server-side statement name.
    public let name: String
    /// The SQL text with `$n` placeholders.
    public let sql: String
    /// The declared parameter types (`.unspecified` lets the server infer one).
    public let parameterTypes: [PostgresDataType]
}

struct PreparedKey: Hashable {
    var sql: String
    var types: [PostgresDataType]
}

extension PostgresConnection {
    /// Prepares `sql` (once per connection: the same text and types return the cached statement).
    public func prepare(
        _ sql: String, parameterTypes: [PostgresDataType] = [], file: String = #fileID, line: Int = #line
    ) throws -> PostgresPreparedStatement {
        let key = PreparedKey(sql: sql, types: parameterTypes)
        if let existing = preparedStatements[key] { return existing }
        let handle = try liveHandle(sql: sql, file: file, line: line)
        // Refused like any statement: a PREPARE waits for the locks of the tables it names.
        try startStatement(sql: sql, file: file, line: line)
        defer { endStatement() }
        preparedStatementCounter += 1
        let name = "ondo_statement_\(preparedStatementCounter)"
        let types = parameterTypes.map(\.oid)
        let result = PQprepare(handle, name, sql, Int32(types.count), types.isEmpty ? nil : types)
        _ = try consume(result, sql: sql, bindCount: 0, file: file, line: line)
        let statement = PostgresPreparedStatement(name: name, sql: sql, parameterTypes: parameterTypes)
        preparedStatements[key] = statement
        return statement
    }

    /// Executes a prepared statement with `binds` for its `$n` placeholders.
    @discardableResult
    public func query(
        _ statement: PostgresPreparedStatement, binds: [PostgresBind], file: String = #fileID, line: Int = #line
    ) throws -> PostgresRows {
        let handle = try liveHandle(sql: statement.sql, file: file, line: line)
        try startStatement(sql: statement.sql, file: file, line: line)
        defer { endStatement() }
        logger.trace("postgres prepared query", metadata: ["ondo.statement": "\(statement.name)"])
        let values = CStringArray(binds.map(\.text))
        let result = values.withNullTerminated { values in
            PQexecPrepared(handle, statement.name, Int32(binds.count), values, nil, nil, 0)
        }
        return try consume(result, sql: statement.sql, bindCount: binds.count, file: file, line: line)
    }

    /// Executes a prepared statement and returns how many rows it affected.
    @discardableResult
    public func execute(
        _ statement: PostgresPreparedStatement, binds: [PostgresBind], file: String = #fileID, line: Int = #line
    ) throws -> Int {
        try query(statement, binds: binds, file: file, line: line).affectedRows
    }

    /// Prepares `sql` (or reuses it) and executes it. When the server no longer has the statement — a pooler in
    /// transaction mode moved the session, or someone ran `DEALLOCATE` or `DISCARD ALL` (SQLSTATE 26000) — the
    /// cached entry is forgotten, and outside a transaction the statement is prepared again and run once more;
    /// inside one the transaction is already aborted, so the error goes to the caller, whose retry prepares anew.
    func queryPrepared(_ sql: String, binds: [PostgresBind], file: String, line: Int) throws -> PostgresRows {
        let types = binds.map(\.type)
        let statement = try prepare(sql, parameterTypes: types, file: file, line: line)
        do {
            return try query(statement, binds: binds, file: file, line: line)
        } catch let error as PostgresError where error.sqlState == Self.undefinedPreparedStatement {
            preparedStatements[PreparedKey(sql: sql, types: types)] = nil
            guard !isInTransaction else { throw error }
            logger.notice(
                "prepared statement vanished from the session; preparing it again",
                metadata: ["ondo.statement": "\(statement.name)"])
            let again = try prepare(sql, parameterTypes: types, file: file, line: line)
            return try query(again, binds: binds, file: file, line: line)
        }
    }

    /// SQLSTATE `invalid_sql_statement_name`: no prepared statement of that name in this session.
    static let undefinedPreparedStatement = "26000"
}
