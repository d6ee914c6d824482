/// What made Ondo recompute a customer's state; recorded with every transition.
public enum StateChangeCause: Sendable, Equatable, Hashable {
    /// A review was scored (new or changed text, rating or customer), or moved away from this customer.
    case review(id: Int64)
    /// The review with this id left it: an operator deleted it, or the shop gave it another id (under which it is
    /// scored anew, with ``review(id:)`` for its customer). The id names what went; nothing has it now.
    case reviewRemoved(id: Int64)
    /// The shop recorded an order.
    case order(id: Int64)
    /// The shop recorded a new customer.
    case signup
    /// Time alone: the scheduler's periodic recomputation.
    case scheduler
    /// An operator asked for it (`ondo states recompute`).
    case recompute

    /// The kind as stored in `customer_state_history.cause`.
    public var kind: String {
        switch self {
        case .review: "review"
        case .reviewRemoved: "review_removed"
        case .order: "order"
        case .signup: "signup"
        case .scheduler: "scheduler"
        case .recompute: "recompute"
        }
    }

    /// The id of the review (present or removed) or order, if any, stored in `customer_state_history.cause_id`.
    public var referenceId: Int64? {
        switch self {
        case .review(let id), .reviewRemoved(let id), .order(let id): id
        case .signup, .scheduler, .recompute: nil
        }
    }

    /// Rebuilds a cause from its stored kind and reference; nil for an unknown kind.
    public init?(kind: String, referenceId: Int64?) {
        switch (kind, referenceId) {
        case ("review", let id?): self = .review(id: id)
        case ("review_removed", let id?): self = .reviewRemoved(id: id)
        case ("order", let id?): self = .order(id: id)
        case ("signup", _): self = .signup
        case ("scheduler", _): self = .scheduler
        case ("recompute", _): self = .recompute
        default: return nil
        }
    }
}
