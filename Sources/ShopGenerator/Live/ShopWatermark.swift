/// The highest ids already used in the shop's tables; a live event source hands out ids above them.
public struct ShopWatermark: Sendable, Equatable, Hashable, Codable {
    /// Highest `shop.customers.id` in use (0 when none).
    public var customer: Int64
    /// Highest `shop.orders.id` in use (0 when none).
    public var order: Int64
    /// Highest `shop.reviews.id` in use (0 when none).
    public var review: Int64

    /// A watermark from the tables' highest ids.
    public init(customer: Int64, order: Int64, review: Int64) {
        self.customer = customer
        self.order = order
        self.review = review
    }

    /// The watermark right after the generator's rows were written.
    public init(after generator: ShopGenerator) {
        let options = generator.options
        self.init(customer: Int64(options.customers), order: Int64(options.orders), review: Int64(options.reviews))
    }
}
