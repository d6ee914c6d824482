import CLibPQ
import Logging

extension PostgresConnection {
    /// Bulk-loads rows with `COPY table (columns) FROM STDIN`; `write` appends the rows. Returns rows copied.
    ///
    /// The table and column names are escaped identifiers. If `write` throws, the COPY is aborted (nothing is
    /// loaded) and its error is rethrown; a server error (a bad value, a violated constraint) is thrown as a
    /// `PostgresError` and the connection stays usable.
    @discardableResult
    public func copyFrom(
        table: String, schema: String? = nil, columns: [String], file: String = #fileID, line: Int = #line,
        _ write: (inout PostgresCopyWriter) throws -> Void
    ) throws -> Int {
        guard !columns.isEmpty else {
            throw PostgresError(code: .misuse, message: "COPY needs at least one column", file: file, line: line)
        }
        let target = try (schema.map { try escapeIdentifier($0) + "." } ?? "") + escapeIdentifier(table)
        let sql = "COPY \(target) (\(try columns.map(escapeIdentifier).joined(separator: ", "))) FROM STDIN"
        let handle = try liveHandle(sql: sql, file: file, line: line)
        try startStatement(sql: sql, file: file, line: line)
        defer { endStatement() }
        logger.debug("postgres copy", metadata: ["ondo.sql": "\(sql)"])
        guard let start = PQexec(handle, sql) else {
            throw connectionError(handle, sql: sql, bindCount: 0, file: file, line: line)
        }
        guard PQresultStatus(start) == PGRES_COPY_IN else {
            _ = try consume(start, sql: sql, bindCount: 0, file: file, line: line)
            throw PostgresError(
                code: .unexpectedResponse, message: "the server did not start COPY", query: sql, file: file,
                line: line)
        }
        PQclear(start)
        var writer = PostgresCopyWriter(columnCount: columns.count) { bytes in
            let sent = bytes.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { PQputCopyData(handle, $0.baseAddress, Int32($0.count)) }
            }
            if sent != 1 { throw CopyInterrupted() }
        }
        do {
            try write(&writer)
            try writer.flush()
        } catch is CopyInterrupted {
            throw finishFailedCopy(handle, sql: sql, file: file, line: line)
        } catch {
            _ = PQputCopyEnd(handle, "COPY aborted by the client")
            while let result = PQgetResult(handle) { PQclear(result) }
            throw error
        }
        guard PQputCopyEnd(handle, nil) == 1 else {
            throw finishFailedCopy(handle, sql: sql, file: file, line: line)
        }
        var copied = 0
        var failure: PostgresError?
        while let result = PQgetResult(handle) {
            do {
                copied = try consume(result, sql: sql, bindCount: 0, file: file, line: line).affectedRows
            } catch let error as PostgresError {
                failure = failure ?? error
            }
        }
        if let failure { throw failure }
        logger.debug("postgres copy done", metadata: ["ondo.rows": "\(copied)"])
        return copied
    }

    /// Bulk-loads `rows` (one array of values per row, `nil` for NULL) with `COPY … FROM STDIN`.
    @discardableResult
    public func copyFrom<Rows: Sequence>(
        table: String, schema: String? = nil, columns: [String], rows: Rows, file: String = #fileID,
        line: Int = #line
    ) throws -> Int where Rows.Element == [(any PostgresEncodable)?] {
        try copyFrom(table: table, schema: schema, columns: columns, file: file, line: line) { writer in
            for row in rows { try writer.append(row) }
        }
    }

    /// After libpq refused COPY data (the server already failed the COPY), collects the server's error.
    private func finishFailedCopy(_ handle: OpaquePointer, sql: String, file: String, line: Int) -> PostgresError {
        var failure: PostgresError?
        while let result = PQgetResult(handle) {
            do {
                _ = try consume(result, sql: sql, bindCount: 0, file: file, line: line)
            } catch let error as PostgresError {
                failure = failure ?? error
            } catch {}
        }
        return failure ?? connectionError(handle, sql: sql, bindCount: 0, file: file, line: line)
    }
}

private struct CopyInterrupted: Error {}
