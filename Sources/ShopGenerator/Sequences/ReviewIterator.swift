import Foundation

/// Yields the generated `shop.reviews` rows customer by customer, holding one customer's orders and
/// reviews in memory.
///
/// The walk regenerates each customer's orders (identical to ``OrderIterator``'s) and picks exactly the
/// requested number of reviews: each is written by the order's customer about a product of that order,
/// after it was delivered. Reviews that cannot attach to a reviewable order (cancelled, or delivered too
/// late in the period) move to another of the customer's orders, or, failing that, become one of the few
/// reviews without an order.
public struct ReviewIterator: IteratorProtocol, Sendable {
    private let model: ShopModel
    private var allocator: OrderAllocator
    private var selection: SplitMix64
    private var nextCustomer: Int64 = 1
    private var nextReviewId: Int64 = 1
    private var buffer: [GeneratedReview] = []
    private var bufferIndex = 0
    /// Units are orders, or customers when the shop has no orders.
    private var unitsLeft: Int64
    private let reviewsPerUnit: Int
    /// Reviews still to spread, one each, over the remaining units.
    private var extraLeft: Int64

    init(model: ShopModel) {
        self.model = model
        allocator = OrderAllocator(model: model)
        selection = SplitMix64(seed: model.options.seed, stream: .reviewSelection)
        let units = Int64(model.options.orders > 0 ? model.options.orders : model.options.customers)
        unitsLeft = units
        let reviews = Int64(model.options.reviews)
        reviewsPerUnit = units > 0 ? Int(reviews / units) : 0
        extraLeft = units > 0 ? reviews % units : 0
    }

    /// The next review, or nil after the last.
    public mutating func next() -> GeneratedReview? {
        while bufferIndex == buffer.count {
            guard nextCustomer <= Int64(model.options.customers), model.options.reviews > 0 else { return nil }
            buffer.removeAll(keepingCapacity: true)
            bufferIndex = 0
            fill(customer: nextCustomer)
            nextCustomer += 1
        }
        defer { bufferIndex += 1 }
        return buffer[bufferIndex]
    }

    /// How many reviews the next unit gets (Algorithm S spreads the remainder exactly).
    private mutating func take() -> Int {
        guard unitsLeft > 0 else { return 0 }
        var reviews = reviewsPerUnit
        if Double(unitsLeft) * selection.unit() < Double(extraLeft) {
            reviews += 1
            extraLeft -= 1
        }
        unitsLeft -= 1
        return reviews
    }

    private mutating func fill(customer: Int64) {
        let signup = model.signupSecond(customer: customer)
        let (count, firstId) = allocator.allocate(customer: customer, signup: signup)
        let orders = OrderHistory.orders(
            model: model, customer: customer, signup: signup, count: count, firstId: firstId)
        var unplaced = model.options.orders > 0 ? 0 : take()
        var reviewed: Set<Int64> = []  // order id × 64 + item index
        var plans: [(order: Int, item: Int, time: Int64)] = []
        func place(_ orderIndex: Int, wanted: Int) -> Int {
            let order = orders[orderIndex]
            guard order.status.isReviewable else { return wanted }
            var left = wanted
            for item in order.items.indices where left > 0 && !reviewed.contains(order.id &* 64 &+ Int64(item)) {
                let time = reviewTime(after: order)
                guard time < model.endSecond else { break }
                reviewed.insert(order.id &* 64 &+ Int64(item))
                plans.append((orderIndex, item, time))
                left -= 1
            }
            return left
        }
        for index in orders.indices {
            let wanted = take()
            if wanted > 0 { unplaced += place(index, wanted: wanted) }
        }
        // Reviews that found no room move to the customer's latest other orders.
        for index in orders.indices.reversed() where unplaced > 0 {
            unplaced = place(index, wanted: unplaced)
        }
        let lastTime = orders.last.map { Int64($0.orderedAt.timeIntervalSince1970) } ?? signup
        let lapsed = model.endSecond - lastTime > 90 * ShopModel.secondsPerDay
        plans.sort { ($0.time, $0.order, $0.item) < ($1.time, $1.order, $1.item) }
        for plan in plans {
            let order = orders[plan.order]
            let product = model.products[Int(order.items[plan.item].productId - 1)]
            let chance = ShopModel.negativeChance(
                product: product, refunded: order.status == .refunded, lapsed: lapsed && plan.order == orders.count - 1)
            emit(customer: customer, product: product, orderId: order.id, time: plan.time, negativeChance: chance)
        }
        for _ in 0..<unplaced {
            let product = model.products[model.popularity.draw(&selection)]
            let time = signup + Int64(selection.unit() * Double(model.endSecond - signup))
            emit(
                customer: customer, product: product, orderId: nil, time: time,
                negativeChance: ShopModel.negativeChance(product: product, refunded: false, lapsed: false))
        }
    }

    /// Delivery takes one to three days; the review follows a few days later (at most two months).
    private mutating func reviewTime(after order: GeneratedOrder) -> Int64 {
        let placed = Int64(order.orderedAt.timeIntervalSince1970)
        let delivery = Int64(selection.int(in: 1...3)) * ShopModel.secondsPerDay
        let delay = Int64(Swift.min(selection.exponential(mean: 4 * 86_400), 60 * 86_400))
        return placed + delivery + delay
    }

    private mutating func emit(
        customer: Int64, product: ProductProfile, orderId: Int64?, time: Int64, negativeChance: Double
    ) {
        buffer.append(
            model.review(
                id: nextReviewId, customer: customer, product: product, orderId: orderId,
                createdAt: Date(timeIntervalSince1970: Double(time)),
                negativeChance: negativeChance))
        nextReviewId += 1
    }
}
