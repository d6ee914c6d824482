/// Yields the generated `shop.orders` rows, each with its `shop.order_items` rows, holding one customer's
/// orders in memory.
///
/// Orders come customer by customer (ids are consecutive per customer and in time order within a
/// customer); exactly the requested number of them, spread so that most buyers order once and a few
/// order often.
public struct OrderIterator: IteratorProtocol, Sendable {
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
