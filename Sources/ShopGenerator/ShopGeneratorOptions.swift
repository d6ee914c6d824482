import Foundation

/// What shop to generate: the seed, how many rows of each table, and the period the rows fall in.
///
/// Two generators with equal options produce identical rows. Timestamps are whole seconds counted from
/// `start` rounded down to a whole second, so pass a fixed `now` (not the current time) when two runs
/// must match byte for byte.
public struct ShopGeneratorOptions: Sendable, Equatable {
    /// The seed every random decision derives from.
    public var seed: UInt64
    /// How many customers (`shop.customers` rows).
    public var customers: Int
    /// How many products (`shop.products` rows).
    public var products: Int
    /// How many orders (`shop.orders` rows; their items come on top).
    public var orders: Int
    /// How many reviews (`shop.reviews` rows).
    public var reviews: Int
    /// The beginning of the period: no row is older.
    public var start: Date
    /// The end of the period: no row is newer.
    public var end: Date
    /// Share of reviews (0–1) whose body is empty or only whitespace, to exercise quarantine; 0 by default.
    public var emptyBodyShare: Double

    /// The default sizes: a small shop that generates in well under a second.
    public static let defaultCounts = (customers: 10_000, products: 500, orders: 50_000, reviews: 20_000)

    /// The largest sizes. The generator walks every customer before the first row and keeps every product in
    /// memory, so a size far beyond them ran for days (`--customers 99999999999999`, silent) or ran out of memory.
    public static let largestCounts = (
        customers: 1_000_000_000, products: 1_000_000, orders: 1_000_000_000, reviews: 1_000_000_000
    )

    /// Options for the `days` days before `now` (365 by default).
    public init(
        seed: UInt64 = 7,
        customers: Int = defaultCounts.customers,
        products: Int = defaultCounts.products,
        orders: Int = defaultCounts.orders,
        reviews: Int = defaultCounts.reviews,
        now: Date,
        days: Int = 365,
        emptyBodyShare: Double = 0
    ) {
        self.init(
            seed: seed, customers: customers, products: products, orders: orders, reviews: reviews,
            start: now.addingTimeInterval(-Double(days) * 86_400), end: now, emptyBodyShare: emptyBodyShare)
    }

    /// Options for an explicit period.
    public init(
        seed: UInt64 = 7,
        customers: Int = defaultCounts.customers,
        products: Int = defaultCounts.products,
        orders: Int = defaultCounts.orders,
        reviews: Int = defaultCounts.reviews,
        start: Date,
        end: Date,
        emptyBodyShare: Double = 0
    ) {
        self.seed = seed
        self.customers = customers
        self.products = products
        self.orders = orders
        self.reviews = reviews
        self.start = start
        self.end = end
        self.emptyBodyShare = emptyBodyShare
    }

    /// The earliest time the shop tables accept (`*_created_at_plausible`, `orders_ordered_at_plausible`):
    /// 1900-01-01 00:00 UTC.
    public static let earliestTime = Date(timeIntervalSince1970: -2_208_988_800)
    /// The end of the times the shop tables accept (exclusive; rows are older than a period's end):
    /// 10000-01-01 00:00 UTC.
    public static let latestTime = Date(timeIntervalSince1970: 253_402_300_800)

    /// A sentence per inconsistency; empty when a shop can be generated from these options.
    public func problems() -> [String] {
        var found: [String] = []
        for (count, name) in [
            (customers, "customers"), (products, "products"), (orders, "orders"), (reviews, "reviews"),
        ]
        where count < 0 {
            found.append("the number of \(name) must not be negative (it is \(count))")
        }
        let largest = Self.largestCounts
        for (count, most, name) in [
            (customers, largest.customers, "customers"), (products, largest.products, "products"),
            (orders, largest.orders, "orders"), (reviews, largest.reviews, "reviews"),
        ]
        where count > most {
            found.append("the number of \(name) must be at most \(most) (it is \(count))")
        }
        if orders > 0 && (customers == 0 || products == 0) {
            found.append("orders need at least one customer and one product")
        }
        if reviews > 0 && (customers == 0 || products == 0) {
            found.append("reviews need at least one customer and one product")
        }
        if !(end.timeIntervalSince(start) >= 86_400) {
            found.append("the period must last at least one day (from \(Self.text(start)) to \(Self.text(end)))")
        }
        if start < Self.earliestTime || end > Self.latestTime {
            found.append(
                "the period must lie between 1900-01-01 and 10000-01-01 UTC, the times the shop tables accept "
                    + "(it runs from \(Self.text(start)) to \(Self.text(end)))")
        }
        if !(0...1).contains(emptyBodyShare) {
            found.append("emptyBodyShare must be between 0 and 1 (it is \(emptyBodyShare))")
        }
        return found
    }

    /// A period's end in ISO 8601, as `ondo generate` names `--now`. Not `Date.description`: it has no text for a
    /// time before year 1 ("<description unavailable>"), which is where a very large `--days` reaches.
    private static func text(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}
