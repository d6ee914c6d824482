import Foundation

/// One customer's orders over the period: the first soon after signup, the rest spread over the time the
/// customer stays active (some stop buying early: they are the shop's churned customers).
///
/// The history depends only on the seed, the customer id and the allocated count and ids, so the order
/// stream and the review stream regenerate identical orders.
enum OrderHistory {
    /// Shop-wide promotion codes with their discount: a percentage or a fixed amount in won.
    static let promotions: [(code: String, percent: Int64, won: Int64)] = [
        ("SPRING10", 10, 0), ("SUMMER5000", 0, 5_000), ("APP3000", 0, 3_000), ("FLASH20", 20, 0), ("VIP15", 15, 0),
    ]
    /// The first-order code.
    static let welcome = (code: "WELCOME10", percent: Int64(10), won: Int64(0))
    /// Discount of a personal coupon (`CPN-` codes, one per order).
    static let personalCouponWon: Int64 = 5_000

    /// The `count` orders of customer `customer`, with ids from `firstId`, in time order.
    static func orders(model: ShopModel, customer: Int64, signup: Int64, count: Int, firstId: Int64)
        -> [GeneratedOrder]
    {
        guard count > 0 else { return [] }
        var random = SplitMix64(seed: model.options.seed, stream: .orders, index: UInt64(customer))
        let times = orderTimes(count: count, signup: signup, end: model.endSecond, random: &random)
        return times.enumerated().map { index, time in
            order(
                id: firstId + Int64(index), customer: customer, at: Date(timeIntervalSince1970: Double(time)),
                isFirst: index == 0,
                status: status(at: time, end: model.endSecond, random: &random), model: model, random: &random)
        }
    }

    /// One order placed at `date`: its items, coupon and total.
    static func order(
        id: Int64, customer: Int64, at date: Date, isFirst: Bool, status: OrderStatus, model: ShopModel,
        random: inout SplitMix64
    ) -> GeneratedOrder {
        let items = self.items(order: id, model: model, random: &random)
        let subtotal = items.reduce(Int64(0)) { $0 + $1.unitPriceWon * Int64($1.quantity) }
        let (coupon, discount) = self.coupon(first: isFirst, subtotal: subtotal, random: &random)
        return GeneratedOrder(
            id: id, customerId: customer, orderedAt: date, totalWon: subtotal - discount, status: status,
            couponCode: coupon, items: items)
    }

    /// Order times in whole seconds, ascending, all in [signup, end).
    private static func orderTimes(count: Int, signup: Int64, end: Int64, random: inout SplitMix64) -> [Int64] {
        let room = Double(max(end - signup - 1, 0))
        // Most customers buy right after signing up; some come back for a first order days later.
        let delay = random.chance(0.8) ? random.exponential(mean: 3 * 3_600) : random.exponential(mean: 10 * 86_400)
        let first = signup + Int64(delay < room ? delay : room * random.unit())
        guard count > 1 else { return [first] }
        // 30 % of repeat buyers stop buying at some point before the end of the period.
        let remaining = Double(end - 1 - first)
        let activeUntil = random.chance(0.7) ? remaining : remaining * random.unit()
        var later = (1..<count).map { _ in first + Int64(random.unit() * activeUntil) }
        later.sort()
        return [first] + later
    }

    private static func items(order: Int64, model: ShopModel, random: inout SplitMix64) -> [GeneratedOrderItem] {
        let wanted = min(
            ShopGenerator.fewestItemsPerOrder + random.weightedIndex([60, 25, 10, 5]), model.products.count)
        var items: [GeneratedOrderItem] = []
        items.reserveCapacity(wanted)
        var attempts = 0
        while items.count < wanted && attempts < 4 * wanted {
            attempts += 1
            let product = model.products[model.popularity.draw(&random)]
            if items.contains(where: { $0.productId == product.id }) { continue }
            let quantity =
                product.category.bulk
                ? [1, 2, 3, 5][random.weightedIndex([60, 25, 10, 5])] : random.chance(0.9) ? 1 : 2
            // One line in seven is on sale at 10 % off, rounded down to 100 won.
            let price = random.chance(1.0 / 7) ? product.priceWon * 9 / 10 / 100 * 100 : product.priceWon
            items.append(
                GeneratedOrderItem(orderId: order, productId: product.id, quantity: quantity, unitPriceWon: price))
        }
        return items
    }

    private static func coupon(first: Bool, subtotal: Int64, random: inout SplitMix64)
        -> (code: String?, discount: Int64)
    {
        let promotion: (code: String, percent: Int64, won: Int64)
        if first && random.chance(0.12) {
            promotion = welcome
        } else if random.chance(0.06) {
            if random.chance(0.3) {
                // Six base-36 characters (36⁶ = 2,176,782,336 codes).
                let code = "CPN-" + String(random.next() % 2_176_782_336, radix: 36, uppercase: true)
                promotion = (code, 0, personalCouponWon)
            } else {
                promotion = promotions[random.below(promotions.count)]
            }
        } else {
            return (nil, 0)
        }
        let discount = promotion.percent > 0 ? subtotal * promotion.percent / 100 / 10 * 10 : promotion.won
        return (promotion.code, min(discount, subtotal))
    }

    private static func status(at time: Int64, end: Int64, random: inout SplitMix64) -> OrderStatus {
        if random.chance(0.03) { return .cancelled }
        let age = end - time
        if age < ShopModel.secondsPerDay { return .paid }
        if age < 3 * ShopModel.secondsPerDay { return .shipped }
        return random.chance(0.02) ? .refunded : .delivered
    }
}
