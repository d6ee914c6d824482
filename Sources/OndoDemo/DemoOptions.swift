import Foundation

/// How big a shop `ondo demo` generates, and how long it lets it live.
public struct DemoOptions: Sendable {
    /// The generator's seed.
    public var seed: UInt64 = 7
    /// Customers of the generated shop; products, orders and reviews scale with it.
    public var customers = 3_000
    /// How long the live shop writes (the pipeline runs meanwhile, and a little longer to catch up).
    public var duration: Duration = .seconds(40)
    /// Live events (sign-ups, orders, reviews) per second.
    public var rate = 20.0
    /// At most this long after the live shop stopped, the pipeline may finish the backlog.
    public var catchUp: Duration = .seconds(20)
    /// How often the live view is printed.
    public var viewInterval: Duration = .seconds(2)
    /// The end of the generated shop's period (its rows are older); live events carry the current time.
    public var now: Date
    /// The command-line options by which another command reaches the demo's database, quoted for a shell
    /// (`--embedded --embedded-dir /x`, `--database-url '…'`): a hint naming such a command gives them, or the
    /// command would go elsewhere.
    public var connectionOptions: [String] = []

    /// `ondo <words>` followed by ``connectionOptions``: a command to name in a hint, reaching this demo's database.
    public func command(_ words: String) -> String {
        (["ondo \(words)"] + connectionOptions).joined(separator: " ")
    }
    /// The command that starts this demo's embedded cluster clean (with its `--embedded-dir`, when given).
    public var resetCommand = "ondo demo --reset"

    /// The defaults: 3,000 customers, 40 seconds of live traffic at 20 events per second.
    public init(now: Date) {
        self.now = now
    }

    /// Products, orders and reviews for the customer count: about 5 orders and 2 reviews per customer (most buy
    /// once, a few often), one product per 20 customers.
    public var shopSize: (products: Int, orders: Int, reviews: Int) {
        (max(20, customers / 20), customers * 5, customers * 2)
    }

    /// A sentence per problem; empty when valid.
    public func problems() -> [String] {
        var found: [String] = []
        if !(100...1_000_000).contains(customers) { found.append("--customers must be between 100 and 1000000") }
        if duration < .seconds(1) { found.append("--duration must be at least 1 second") }
        if !(rate > 0 && rate <= 10_000) {
            found.append("--rate must be more than 0 and at most 10000 events per second")
        }
        return found
    }
}
