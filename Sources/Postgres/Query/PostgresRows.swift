/// The rows a statement returned, fully read from the server (so they are `Sendable` and outlive the connection).
public struct PostgresRows: Sendable, RandomAccessCollection {
    @usableFromInline let storage: Storage

    /// For `INSERT`/`UPDATE`/`DELETE`/`COPY` and similar: how many rows the statement affected.
    public let affectedRows: Int
    /// The server's command tag (`INSERT 0 1`, `SELECT 3`, `COMMIT`, …).
    public let commandTag: String

    /// The result columns, in order.
    public var columns: [PostgresColumn] { storage.columns }

    /// The first row's position.
    public var startIndex: Int { 0 }
    /// One past the last row's position.
    public var endIndex: Int { storage.rowCount }

    /// The row at `position`.
    public subscript(position: Int) -> PostgresRow {
        PostgresRow(storage: storage, row: position)
    }

    @usableFromInline final class Storage: Sendable {
        @usableFromInline let columns: [PostgresColumn]
        /// The first position of each name, for a wide result only (see ``index(of:)``).
        let columnIndex: [String: Int]?
        @usableFromInline let cells: [String?]
        let rowCount: Int

        /// Results up to this wide are searched in order: comparing short names is cheaper than hashing one, and a
        /// hot loop decodes every column of every row by name.
        static let searchedColumns = 12

        init(columns: [PostgresColumn], cells: [String?], rowCount: Int) {
            self.columns = columns
            if columns.count > Self.searchedColumns {
                var index: [String: Int] = [:]
                for (position, column) in columns.enumerated() where index[column.name] == nil {
                    index[column.name] = position
                }
                self.columnIndex = index
            } else {
                self.columnIndex = nil
            }
            self.cells = cells
            self.rowCount = rowCount
        }

        /// The position of the first column named `name`.
        @usableFromInline
        func index(of name: String) -> Int? {
            guard let columnIndex else { return columns.firstIndex { $0.name == name } }
            return columnIndex[name]
        }
    }
}

/// A result column's name and type.
public struct PostgresColumn: Sendable, Hashable {
    /// The column name as the server reported it (an alias if one was given).
    public var name: String
    /// The column's type.
    public var type: PostgresDataType
}

/// One result row; decode its values by column name or position.
///
/// ```swift
/// let id = try row.decode(Int64.self, "id")
/// let email = try row.decode(String?.self, "email")   // NULL → nil
/// ```
///
/// The decoding is `@inlinable`, so that a caller's module specializes it for the types it decodes: generic, it
/// looked up type metadata at every value, which was most of the cost of reading a customer's reviews.
public struct PostgresRow: Sendable {
    @usableFromInline let storage: PostgresRows.Storage
    @usableFromInline let row: Int

    /// The number of columns.
    public var count: Int { storage.columns.count }

    /// Decodes the column named `column` (the first one, if several share the name).
    @inlinable
    public func decode<Value: PostgresDecodable>(_ type: Value.Type = Value.self, _ column: String) throws -> Value {
        guard let index = storage.index(of: column) else { throw noColumn(named: column) }
        return try decode(type, at: index)
    }

    /// Decodes the column at the zero-based `index`.
    @inlinable
    public func decode<Value: PostgresDecodable>(_ type: Value.Type = Value.self, at index: Int) throws -> Value {
        guard storage.columns.indices.contains(index) else { throw noColumn(at: index) }
        let column = storage.columns[index]
        guard let text = storage.cells[row * storage.columns.count + index] else {
            guard let null = Value.postgresNullValue else {
                throw failure(column, Value.self, "the value is NULL; decode an Optional to accept NULL")
            }
            return null
        }
        do {
            return try Value.decode(postgresText: text, type: column.type)
        } catch let error as PostgresDecodingFailure {
            throw failure(column, Value.self, error.reason)
        }
    }

    /// True when the column at `index` is SQL NULL.
    public func isNull(at index: Int) -> Bool {
        storage.cells[row * storage.columns.count + index] == nil
    }

    @usableFromInline
    func noColumn(named column: String) -> PostgresError {
        let known = storage.columns.map(\.name).joined(separator: ", ")
        return PostgresError(
            code: .decoding, message: "no column named \"\(column)\" in the result (columns: \(known))")
    }

    @usableFromInline
    func noColumn(at index: Int) -> PostgresError {
        PostgresError(
            code: .decoding, message: "no column at index \(index) (the result has \(storage.columns.count) column(s))")
    }

    @usableFromInline
    func failure<Value>(_ column: PostgresColumn, _ type: Value.Type, _ reason: String) -> PostgresError {
        var error = PostgresError(
            code: .decoding,
            message: "cannot decode column \"\(column.name)\" (\(column.type)) as \(Value.self): \(reason)")
        error.column = column.name
        return error
    }
}
