import CRM
import Foundation

/// One customer as `ondo customer show` presents it.
public struct CustomerProfile: Sendable {
    /// The shop's customer id.
    public var id: Int64
    /// Name, if the shop has the customer.
    public var name: String?
    /// Email, if any.
    public var email: String?
    /// Signup time, if the shop has the customer (nil too for one before year 1 or ±infinity: see the next).
    public var signedUpAt: Date?
    /// A signup time that is no date to show (before year 1, which cannot be read, or ±infinity: an old row), as
    /// PostgreSQL writes it (`0044-03-15 00:00:00+00 BC`, `infinity`); nil otherwise.
    public var signedUpAtAsStored: String?
    /// Agreed to advertising; nil only when the shop does not have the customer (the column is NOT NULL).
    public var marketingConsent: Bool?
    /// Agreed to advertising at night.
    public var nightConsent: Bool?
    /// Current state (nil before Ondo first assessed the customer).
    public var state: CustomerState?
    /// Current churn risk.
    public var churnRisk: Double?
    /// Time-weighted review sentiment.
    public var sentimentScore: Double?
    /// Why, most important first.
    public var reasons: [StateReason]
    /// In the current state since.
    public var stateSince: Date?
    /// Last recomputed.
    public var updatedAt: Date?
    /// Next scheduled look.
    public var recheckAt: Date?
    /// Recent reviews, newest first.
    public var reviews: [Review] = []
    /// Recent orders, newest first.
    public var orders: [Order] = []
    /// State transitions, newest first.
    public var history: [Transition] = []
    /// How many reviews, orders and transitions the customer has in all: the lists above hold the newest few.
    public var totals = Totals()

    /// The size of each list before it was cut to its newest rows.
    public struct Totals: Sendable {
        /// Reviews the customer wrote.
        public var reviews = 0
        /// Orders the customer placed.
        public var orders = 0
        /// State transitions recorded.
        public var history = 0

        /// No rows.
        public init() {}
    }

    /// A review with its sentiment.
    public struct Review: Sendable {
        /// Review id.
        public var id: Int64
        /// Product id.
        public var productId: Int64
        /// Product name, if known.
        public var productName: String?
        /// Stars.
        public var rating: Int?
        /// Text.
        public var body: String
        /// Written at; nil for a time before year 1 or ±infinity (an old row).
        public var writtenAt: Date?
        /// Such a time as PostgreSQL writes it; nil otherwise.
        public var writtenAtAsStored: String?
        /// Model probability that it is positive.
        public var probability: Double?
        /// `positive` or `negative`.
        public var label: String?
        /// Complaint aspects.
        public var aspects: [String]
        /// Why it was quarantined, if it was.
        public var quarantineReason: String?
        /// The work row's status (`pending`, `completed`, …).
        public var workStatus: String?
    }

    /// An order.
    public struct Order: Sendable {
        /// Order id.
        public var id: Int64
        /// Placed at; nil for a time before year 1 or ±infinity (an old row).
        public var orderedAt: Date?
        /// Such a time as PostgreSQL writes it; nil otherwise.
        public var orderedAtAsStored: String?
        /// Total.
        public var total: Double
        /// Status.
        public var status: String
        /// Coupon used, if any.
        public var couponCode: String?
    }

    /// A state transition.
    public struct Transition: Sendable {
        /// State before (nil for the first).
        public var from: String?
        /// State after.
        public var to: String
        /// Churn risk after.
        public var churnRisk: Double
        /// Reasons at the time.
        public var reasons: [StateReason]
        /// `review`, `order`, `signup`, `scheduler` or `recompute`.
        public var cause: String
        /// The review or order id behind it.
        public var causeId: Int64?
        /// When.
        public var changedAt: Date
    }
}

/// One line of `ondo customer list`.
public struct CustomerSummary: Sendable {
    /// Customer id.
    public var id: Int64
    /// Name, if known.
    public var name: String?
    /// State.
    public var state: CustomerState
    /// Churn risk.
    public var churnRisk: Double
    /// Review sentiment.
    public var sentimentScore: Double
    /// Reasons.
    public var reasons: [StateReason]
    /// In this state since.
    public var stateSince: Date
}
