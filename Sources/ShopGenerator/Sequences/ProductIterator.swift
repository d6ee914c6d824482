/// Yields the generated `shop.products` rows in id order, one at a time.
public struct ProductIterator: IteratorProtocol, Sendable {
    private let model: ShopModel
    private var index = 0

    init(model: ShopModel) {
        self.model = model
    }

    /// The next product, or nil after the last.
    public mutating func next() -> GeneratedProduct? {
        guard index < model.products.count else { return nil }
        defer { index += 1 }
        return model.products[index].row
    }
}
