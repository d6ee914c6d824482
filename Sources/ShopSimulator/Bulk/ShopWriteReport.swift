/// What a bulk write did: rows and time per table, measured while writing.
public struct ShopWriteReport: Sendable {
    /// One table's figures.
    public struct TableFigures: Sendable {
        /// The table.
        public var table: ShopTable
        /// Rows written.
        public var rows: Int
        /// Seconds spent copying them (generation, transfer, indexes and triggers).
        public var seconds: Double

        /// Rows per second (0 when no time passed).
        public var rowsPerSecond: Double { seconds > 0 ? Double(rows) / seconds : 0 }
    }

    /// The highest ids before the write: the new rows are numbered after them.
    public var after: ShopHighestIds
    /// Per table, in the order written.
    public var tables: [TableFigures] = []
    /// Seconds from the transaction's start to its commit (the tables, the checks, the commit).
    public var totalSeconds = 0.0

    /// Rows written in all tables.
    public var totalRows: Int { tables.reduce(0) { $0 + $1.rows } }
    /// Rows per second over the whole write.
    public var rowsPerSecond: Double { totalSeconds > 0 ? Double(totalRows) / totalSeconds : 0 }
    /// Rows of `table` written.
    public func rows(_ table: ShopTable) -> Int { tables.first { $0.table == table }?.rows ?? 0 }
}
