/// The rows of one generated table, produced lazily: iterating twice generates the same rows twice.
public struct RowSequence<Iterator: IteratorProtocol & Sendable>: Sequence, Sendable {
    /// How many rows the sequence yields.
    public let count: Int
    private let start: Iterator

    init(count: Int, start: Iterator) {
        self.count = count
        self.start = start
    }

    /// A lower bound on the number of rows, for `Array(_:)` and friends: the exact count.
    public var underestimatedCount: Int { count }

    /// A fresh pass from the first row (iterators are values, so each pass starts over).
    public func makeIterator() -> Iterator { start }
}
