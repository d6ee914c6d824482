/// The generated `shop.orders` rows, each with its `shop.order_items` rows, produced lazily.
///
/// Orders come customer by customer (ids are consecutive per customer and in time order within a
/// customer); exactly ``count`` of them, spread so that most buyers order once and a few order often.
public struct OrderSequence: Sequence, Sendable {
    let model: ShopModel

    /// How many orders the sequence yields.
    public var count: Int { model.options.orders }

    /// A lower bound on the number of elements: the exact count.
    public var underestimatedCount: Int { count }

    /// Starts with the first customer's orders.
    public func makeIterator() -> Iterator { Iterator(model: model) }

    /// Yields orders one at a time, holding one customer's orders in memory.
    public struct Iterator: IteratorProtocol {
        private let model: ShopModel
        private var allocator: OrderAllocator
        private var nextCustomer: Int64 = 1
        private var buffer: [GeneratedOrder] = []
        private var bufferIndex = 0

        init(model: ShopModel) {
            self.model = model
            allocator = OrderAllocator(model: model)
        }

        /// The next order, or nil after the last.
        public mutating func next() -> GeneratedOrder? {
            while bufferIndex == buffer.count {
                guard nextCustomer <= Int64(model.options.customers), model.options.orders > 0 else { return nil }
                let signup = model.signupSecond(customer: nextCustomer)
                let (count, firstId) = allocator.allocate(customer: nextCustomer, signup: signup)
                buffer = OrderHistory.orders(
                    model: model, customer: nextCustomer, signup: signup, count: count, firstId: firstId)
                bufferIndex = 0
                nextCustomer += 1
            }
            defer { bufferIndex += 1 }
            return buffer[bufferIndex]
        }
    }
}
