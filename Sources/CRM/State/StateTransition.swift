/// A customer's move from one state to another (or into a first state), recorded in the history.
public struct StateTransition: Sendable, Equatable {
    /// The customer.
    public var customerId: Int64
    /// The state before; nil for the customer's first state.
    public var from: CustomerState?
    /// The state after.
    public var to: CustomerState
    /// The churn risk after the change.
    public var churnRisk: Double
    /// Why, as in ``StateAssessment/reasons``.
    public var reasons: [StateReason]
    /// What made Ondo look.
    public var cause: StateChangeCause

    /// Creates a transition record.
    public init(
        customerId: Int64, from: CustomerState?, to: CustomerState, churnRisk: Double, reasons: [StateReason],
        cause: StateChangeCause
    ) {
        self.customerId = customerId
        self.from = from
        self.to = to
        self.churnRisk = churnRisk
        self.reasons = reasons
        self.cause = cause
    }
}
