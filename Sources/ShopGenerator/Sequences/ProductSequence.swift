/// The generated `shop.products` rows in id order, produced lazily.
public struct ProductSequence: Sequence, Sendable {
    let model: ShopModel

    /// How many products the sequence yields.
    public var count: Int { model.options.products }

    /// A lower bound on the number of elements: the exact count.
    public var underestimatedCount: Int { count }

    /// Starts at product 1.
    public func makeIterator() -> Iterator { Iterator(model: model) }

    /// Yields products one at a time.
    public struct Iterator: IteratorProtocol {
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
}
