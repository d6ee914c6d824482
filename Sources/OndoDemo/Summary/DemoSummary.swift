import CRM
import CRMStore
import ShopSimulator

/// What the demo shows at the end.
public struct DemoSummary: Sendable {
    /// Customers in one state.
    public struct StateCount: Sendable {
        /// The state.
        public var state: String
        /// How many customers.
        public var customers: Int
        /// Their average churn risk.
        public var averageChurnRisk: Double
    }

    /// A product with many negative reviews, and what they complain about.
    public struct ProductComplaints: Sendable {
        /// Product id.
        public var productId: Int64
        /// Product name.
        public var name: String
        /// Category.
        public var category: String
        /// Reviews scored.
        public var reviews: Int
        /// Of which negative.
        public var negativeReviews: Int
        /// Negative share (0–1).
        public var negativeRate: Double
        /// The most frequent complaint aspects, most frequent first.
        public var topComplaints: [String]
    }

    /// What the live shop wrote.
    public var live = LiveWriteStatistics()
    /// Seconds the live shop wrote (its duration, or less after Ctrl-C).
    public var liveSeconds = 0.0
    /// True when the user stopped the live step early.
    public var interrupted = false
    /// Reviews in the shop.
    public var reviews = 0
    /// Of those, written before the live step (the shop's history).
    public var historyReviews = 0
    /// Review work completed (scored, or quarantined with a reason).
    public var reviewsProcessed = 0
    /// Reviews scored negative by the model.
    public var negativeReviews = 0
    /// Reviews set aside with a reason.
    public var quarantined = 0
    /// Reviews given up after repeated failures.
    public var discarded = 0
    /// Reviews still waiting.
    public var waiting = 0
    /// State changes recorded in the history.
    public var transitions = 0
    /// Customers per state, in the states' order.
    public var states: [StateCount] = []
    /// The products with the most negative reviews.
    public var products: [ProductComplaints] = []
    /// An at-risk customer in full, if there is one.
    public var atRisk: CustomerProfile?
}
