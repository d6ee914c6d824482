/// The outcome of the state rules for one customer: state, churn risk and why.
public struct StateAssessment: Sendable, Equatable {
    /// The customer's state.
    public var state: CustomerState
    /// Churn risk in [0, 1].
    public var churnRisk: Double
    /// Time-weighted review sentiment in [0, 1] (the prior when there are no reviews).
    public var sentimentScore: Double
    /// Why, most important first; the first reason is the one that decided the state.
    public var reasons: [StateReason]

    /// Creates an assessment.
    public init(state: CustomerState, churnRisk: Double, sentimentScore: Double, reasons: [StateReason]) {
        self.state = state
        self.churnRisk = churnRisk
        self.sentimentScore = sentimentScore
        self.reasons = reasons
    }
}
