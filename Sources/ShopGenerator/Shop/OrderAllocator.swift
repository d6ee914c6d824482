/// Turns customers' desired order counts into exact counts that add up to the requested number of
/// orders, walking customers in id order with O(1) state: customer c gets
/// ⌊N·D(c)/D⌋ − ⌊N·D(c−1)/D⌋ orders, where D(c) sums the desired counts of customers 1…c.
struct OrderAllocator {
    private let model: ShopModel
    private var cumulativeDesired: Int64 = 0
    private var allocated: Int64 = 0
    /// The id of the next order to hand out.
    private(set) var nextOrderId: Int64 = 1

    init(model: ShopModel) {
        self.model = model
    }

    /// The orders of the next customer in id order: their count and the first id.
    mutating func allocate(customer id: Int64, signup: Int64) -> (count: Int, firstId: Int64) {
        let total = model.desiredOrderTotal
        guard model.options.orders > 0, total > 0 else { return (0, nextOrderId) }
        cumulativeDesired += Int64(model.desiredOrders(customer: id, signup: signup))
        let product = cumulativeDesired.multipliedFullWidth(by: Int64(model.options.orders))
        let target = total.dividingFullWidth(product).quotient
        let count = Int(target - allocated)
        allocated = target
        let first = nextOrderId
        nextOrderId += Int64(count)
        return (count, first)
    }
}
