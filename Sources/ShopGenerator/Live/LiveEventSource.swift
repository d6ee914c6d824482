import Foundation

/// An endless, deterministic stream of new shop events — sign-ups, orders, reviews of earlier orders —
/// arriving at a given average rate from a given start time, for the demo and for load tests.
///
/// The source only decides what happens and when (Poisson arrivals: exponential gaps with mean
/// 1/`rate`); the caller paces the inserts by ``ShopEvent/timestamp``. Ids continue above the
/// watermark; orders go to the shop's existing customers (ids up to the watermark) or to customers who
/// signed up earlier in the stream, and name the generator's products; a review is written by the
/// order's customer about one of its products, after the order. Equal generator options, rate,
/// watermark, start and mix give the same events. The stream ends when an event's id would pass the largest
/// bigint (``Iterator/idsRanOut``).
public struct LiveEventSource: Sequence, Sendable {
    let model: ShopModel
    /// Average events per second.
    public let rate: Double
    /// The ids already in use.
    public let watermark: ShopWatermark
    /// When the first gap starts.
    public let start: Date
    /// How events divide among sign-ups, orders and reviews.
    public let mix: LiveEventMix

    /// How many recent orders are remembered as candidates for a review.
    static let pendingOrderLimit = 10_000
    /// How many stream-born customers are remembered as candidates for an order.
    static let recentCustomerLimit = 10_000

    /// A source of events for the shop of `generator` (whose products the orders name).
    ///
    /// Throws ``ShopGeneratorError`` when the rate is not a positive number, the mix has no positive
    /// weight, or the shop has no products.
    public init(
        generator: ShopGenerator, rate: Double, after watermark: ShopWatermark, start: Date,
        mix: LiveEventMix = .standard
    ) throws {
        var problems: [String] = []
        if !(rate > 0 && rate.isFinite) { problems.append("the rate must be a positive number of events per second") }
        let weights = [mix.customers, mix.orders, mix.reviews]
        if !weights.allSatisfy({ $0 >= 0 && $0.isFinite }) || !weights.contains(where: { $0 > 0 }) {
            problems.append("the event mix needs non-negative weights, at least one positive")
        }
        if generator.model.products.isEmpty { problems.append("live orders need at least one product") }
        guard problems.isEmpty else { throw ShopGeneratorError(problems: problems) }
        model = generator.model
        self.rate = rate
        self.watermark = watermark
        self.start = start
        self.mix = mix
    }

    /// Starts the stream at ``start``.
    public func makeIterator() -> Iterator { Iterator(source: self) }

    /// Produces events one at a time, until an id would pass the largest bigint; it remembers a bounded number of
    /// recent orders and customers.
    public struct Iterator: IteratorProtocol {
        /// The table whose next id would have passed `Int64.max` (`"customers"`, `"orders"`, `"reviews"`) once the
        /// stream has ended; nil while it runs. A shop near the largest id crashed the writer (an arithmetic
        /// overflow) instead.
        public private(set) var idsRanOut: String?
        private let model: ShopModel
        private let meanGap: Double
        private let weights: [Double]
        private let startSeconds: Double
        private let existingCustomers: Int64
        private var random: SplitMix64
        private var elapsed = 0.0
        /// The highest id taken so far in each table (the watermark's at first).
        private var lastCustomer: Int64
        private var lastOrder: Int64
        private var lastReview: Int64
        private var recentCustomers: [Int64] = []
        /// Orders not yet fully reviewed: their id, customer and the products still to review.
        private var pendingOrders: [(order: Int64, customer: Int64, products: [Int64])] = []

        init(source: LiveEventSource) {
            model = source.model
            meanGap = 1 / source.rate
            weights = [source.mix.customers, source.mix.orders, source.mix.reviews]
            startSeconds = source.start.timeIntervalSince1970
            existingCustomers = source.watermark.customer
            let mark = source.watermark
            let key =
                SplitMix64.mix(UInt64(bitPattern: mark.customer)) ^ SplitMix64.mix(UInt64(bitPattern: mark.order) << 1)
                ^ SplitMix64.mix(UInt64(bitPattern: mark.review) << 2) ^ startSeconds.bitPattern
            random = SplitMix64(seed: model.options.seed, stream: .live, index: key)
            lastCustomer = mark.customer
            lastOrder = mark.order
            lastReview = mark.review
        }

        /// The next event; nil once an id would pass `Int64.max` (``idsRanOut`` names the table).
        public mutating func next() -> ShopEvent? {
            guard idsRanOut == nil else { return nil }
            elapsed += random.exponential(mean: meanGap)
            // Microsecond timestamps, as PostgreSQL stores them.
            let date = Date(timeIntervalSince1970: ((startSeconds + elapsed) * 1e6).rounded() / 1e6)
            var kind = random.weightedIndex(weights)
            if kind == 2 && pendingOrders.isEmpty { kind = 1 }
            if kind == 1 && existingCustomers == 0 && recentCustomers.isEmpty { kind = 0 }
            let (table, last) = [("customers", lastCustomer), ("orders", lastOrder), ("reviews", lastReview)][kind]
            guard last < Int64.max else {
                idsRanOut = table
                return nil
            }
            switch kind {
            case 0: return .customer(signUp(at: date))
            case 1: return .order(placeOrder(at: date))
            default: return .review(writeReview(at: date))
            }
        }

        private mutating func signUp(at date: Date) -> GeneratedCustomer {
            lastCustomer += 1
            var customer = model.customer(id: lastCustomer)
            customer.createdAt = date
            recentCustomers.append(lastCustomer)
            Self.trim(&recentCustomers, limit: LiveEventSource.recentCustomerLimit)
            return customer
        }

        private mutating func placeOrder(at date: Date) -> GeneratedOrder {
            let fromStream = !recentCustomers.isEmpty && (existingCustomers == 0 || random.chance(0.25))
            let customer =
                fromStream
                ? recentCustomers[random.below(recentCustomers.count)] : 1 + Int64(random.below(Int(existingCustomers)))
            lastOrder += 1
            let order = OrderHistory.order(
                id: lastOrder, customer: customer, at: date, isFirst: fromStream && random.chance(0.5), status: .paid,
                model: model, random: &random)
            pendingOrders.append((order.id, customer, order.items.map(\.productId)))
            Self.trim(&pendingOrders, limit: LiveEventSource.pendingOrderLimit)
            return order
        }

        private mutating func writeReview(at date: Date) -> GeneratedReview {
            let index = random.below(pendingOrders.count)
            let pending = pendingOrders[index]
            let item = random.below(pending.products.count)
            let product = model.products[Int(pending.products[item] - 1)]
            pendingOrders[index].products.remove(at: item)
            if pendingOrders[index].products.isEmpty {
                pendingOrders.swapAt(index, pendingOrders.count - 1)
                pendingOrders.removeLast()
            }
            lastReview += 1
            let review = model.review(
                id: lastReview, customer: pending.customer, product: product, orderId: pending.order, createdAt: date,
                negativeChance: ShopModel.negativeChance(product: product, refunded: false, lapsed: false),
                stream: .live)
            return review
        }

        /// Forgets the oldest half once a list outgrows its limit (amortised O(1) per element).
        private static func trim<Element>(_ list: inout [Element], limit: Int) {
            if list.count > limit { list.removeFirst(list.count - limit / 2) }
        }
    }
}
