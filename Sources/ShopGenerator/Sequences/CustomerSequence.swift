/// The generated `shop.customers` rows in id (and signup) order, produced lazily.
public struct CustomerSequence: Sequence, Sendable {
    let model: ShopModel

    /// How many customers the sequence yields.
    public var count: Int { model.options.customers }

    /// A lower bound on the number of elements: the exact count.
    public var underestimatedCount: Int { count }

    /// Starts at customer 1.
    public func makeIterator() -> Iterator { Iterator(model: model) }

    /// Yields customers one at a time.
    public struct Iterator: IteratorProtocol {
        private let model: ShopModel
        private var nextId: Int64 = 1

        init(model: ShopModel) {
            self.model = model
        }

        /// The next customer, or nil after the last.
        public mutating func next() -> GeneratedCustomer? {
            guard nextId <= Int64(model.options.customers) else { return nil }
            defer { nextId += 1 }
            return model.customer(id: nextId)
        }
    }
}
