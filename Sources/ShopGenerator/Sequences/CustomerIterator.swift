/// Yields the generated `shop.customers` rows in id (and signup) order, one at a time.
public struct CustomerIterator: IteratorProtocol, Sendable {
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
