/// Where a bulk write of generated data stands, for a progress bar.
public struct ShopWriteProgress: Sendable {
    /// The table being written.
    public var table: ShopTable
    /// Rows of this table written so far.
    public var written: Int
    /// Rows of this table to write.
    public var total: Int
    /// Seconds since this table began.
    public var elapsedSeconds: Double

    /// Creates a progress report.
    public init(table: ShopTable, written: Int, total: Int, elapsedSeconds: Double) {
        self.table = table
        self.written = written
        self.total = total
        self.elapsedSeconds = elapsedSeconds
    }
}
