import Foundation

/// The fixed, precomputed part of a generated shop that every table's stream shares: the period in
/// seconds, the product profiles and their popularity, and how orders are spread over customers.
///
/// Customers are not stored: any customer's signup and order count are recomputed from the seed and the
/// customer id, so memory stays proportional to the number of products.
final class ShopModel: Sendable {
    let options: ShopGeneratorOptions
    /// The period in whole Unix seconds.
    let startSecond: Int64
    let endSecond: Int64
    /// Product profiles by id − 1.
    let products: [ProductProfile]
    /// Draws a product index by popularity.
    let popularity: CumulativeWeights
    /// The order-count distribution for the requested orders per customer.
    let orderCounts: OrderCountDistribution
    /// Sum of all customers' desired order counts, before scaling to the requested total.
    let desiredOrderTotal: Int64
    /// Whether orders are spread evenly because no customer desired any.
    private let spreadsEvenly: Bool

    static let secondsPerDay: Int64 = 86_400

    init(options: ShopGeneratorOptions) {
        self.options = options
        startSecond = Int64(options.start.timeIntervalSince1970.rounded(.down))
        endSecond = Int64(options.end.timeIntervalSince1970.rounded(.down))
        let seed = options.seed
        products = (0..<Int64(options.products)).map { ProductProfile(seed: seed, id: $0 + 1) }
        popularity = CumulativeWeights(products.lazy.map(\.popularity))
        let mean = options.customers > 0 ? Double(options.orders) / Double(options.customers) : 0
        orderCounts = OrderCountDistribution(mean: mean)
        var total: Int64 = 0
        if options.orders > 0 {
            for id in 1...Int64(options.customers) {
                total += Int64(
                    Self.desiredOrders(
                        options: options, counts: orderCounts, customer: id,
                        signup: Self.signupSecond(options: options, start: startSecond, end: endSecond, customer: id),
                        end: endSecond))
            }
        }
        // A tiny shop may draw no buyer at all; then every customer weighs the same.
        spreadsEvenly = total == 0
        desiredOrderTotal = spreadsEvenly ? Int64(options.customers) : total
    }

    /// When customer `id` signed up.
    func signupSecond(customer id: Int64) -> Int64 {
        Self.signupSecond(options: options, start: startSecond, end: endSecond, customer: id)
    }

    /// How many orders customer `id` would place before scaling to the requested total.
    func desiredOrders(customer id: Int64, signup: Int64) -> Int {
        if spreadsEvenly { return 1 }
        return Self.desiredOrders(options: options, counts: orderCounts, customer: id, signup: signup, end: endSecond)
    }

    /// Ids follow signup order, and signups grow over the period (the density rises linearly to twice
    /// its starting value).
    private static func signupSecond(options: ShopGeneratorOptions, start: Int64, end: Int64, customer id: Int64)
        -> Int64
    {
        var random = SplitMix64(seed: options.seed, stream: .signup, index: UInt64(id))
        let position = (Double(id - 1) + random.unit()) / Double(max(options.customers, 1))
        let fraction = (1 + 3 * position).squareRoot() - 1
        return start + Int64(fraction * Double(end - start - 1))
    }

    private static func desiredOrders(
        options: ShopGeneratorOptions, counts: OrderCountDistribution, customer id: Int64, signup: Int64, end: Int64
    ) -> Int {
        var random = SplitMix64(seed: options.seed, stream: .orderCount, index: UInt64(id))
        // At most two orders a day of membership, so a customer who joined yesterday is not a heavy buyer.
        let days = (end - signup) / secondsPerDay
        return counts.sample(&random, limit: Int(max(1, days * 2)))
    }

    /// The product profile for a product index (0-based).
    func product(at index: Int) -> ProductProfile { products[index] }
}
