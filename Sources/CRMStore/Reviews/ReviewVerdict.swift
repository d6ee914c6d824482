import CRM

/// What the pipeline decided for one claimed review, ready to be written.
public struct ReviewVerdict: Sendable {
    /// The outcome for the review.
    public enum Outcome: Sendable, Equatable {
        /// Scored: the model's probability that the text is positive and the complaint aspects it names.
        case scored(probability: Double, aspects: [String])
        /// Set aside with a reason (its rating, if any, still counts toward the customer's state).
        case quarantined(QuarantineReason, detail: String)
        /// The review no longer exists: the work completes, and the review's score and quarantine rows are deleted.
        case vanished

        /// Quarantined because the review's customer or product is not in the shop's tables.
        public var isWaitingForReference: Bool {
            switch self {
            case .quarantined(.unknownCustomer, _), .quarantined(.unknownProduct, _): true
            default: false
            }
        }
    }

    /// The claimed work row.
    public var work: ClaimedWork
    /// The review (nil when it vanished).
    public var review: ReviewRecord?
    /// The decision.
    public var outcome: Outcome

    /// Creates a verdict.
    public init(work: ClaimedWork, review: ReviewRecord?, outcome: Outcome) {
        self.work = work
        self.review = review
        self.outcome = outcome
    }
}
