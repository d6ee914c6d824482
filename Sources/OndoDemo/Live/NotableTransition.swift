import CRM
import Foundation

/// A state change worth showing: a customer who became at risk or churned, or came back from it.
public struct NotableTransition: Sendable, Equatable {
    /// The customer.
    public var customerId: Int64
    /// The state before.
    public var from: String
    /// The state after.
    public var to: String
    /// What triggered it: `review`, `order`, `signup`, `scheduler` or `recompute`.
    public var cause: String
    /// The most important reason for the new state.
    public var reason: StateReason?

    /// Creates a transition.
    public init(customerId: Int64, from: String, to: String, cause: String, reason: StateReason?) {
        self.customerId = customerId
        self.from = from
        self.to = to
        self.cause = cause
        self.reason = reason
    }

    /// `customer 1042 active → at_risk: negative review #88311 about delivery (0.0213, 1★)`.
    public var explanation: String {
        "customer \(customerId) \(from) → \(to): " + (reason.map(Self.describe) ?? "after a \(cause)")
    }

    /// A reason in a few words; a negative review with its model probability (as `ondo customer show` prints it:
    /// ``StateReason/probabilityText(_:)``) and stars.
    static func describe(_ reason: StateReason) -> String {
        guard case .negativeReview(let reviewId, _, let score, let probability, let rating, let aspects, _) = reason
        else {
            return reason.summary
        }
        let about = aspects.isEmpty ? "" : " about \(aspects.joined(separator: ", "))"
        let figure = probability.map(StateReason.probabilityText) ?? String(format: "%.2f", score)
        let figures = [figure] + (rating.map { ["\($0)★"] } ?? [])
        return "negative review #\(reviewId)\(about) (\(figures.joined(separator: ", ")))"
    }
}
