import CRM
import ShopSimulator

/// One look at the running demo: what the shop wrote, what the pipeline did, where customers stand.
public struct DemoSnapshot: Sendable {
    /// Seconds since the live step began.
    public var elapsedSeconds: Double
    /// Events the live shop has written.
    public var written: LiveWriteStatistics
    /// Reviews processed so far (work rows completed: scored, or quarantined with a reason).
    public var reviewsProcessed: Int
    /// Reviews processed per second since the previous look.
    public var reviewsPerSecond: Double
    /// Reviews waiting or in flight.
    public var backlog: Int
    /// Customers per state.
    public var states: [CustomerState: Int]
    /// The latest notable state changes since the previous look (a few at most).
    public var transitions: [NotableTransition]
}
