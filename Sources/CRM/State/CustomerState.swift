import Foundation

/// The small, documented set of states a customer can be in. Marketers aim campaigns at these.
///
/// Rules are evaluated in this order (first match wins); see ``StateEvaluator``:
/// - ``churned``: no order for `churnAfterDays` (counted from signup when the customer never ordered).
/// - ``atRisk``: a recent strongly negative review not followed by an order, a churn risk at or above
///   `atRiskMinimumRisk`, or no order for `atRiskAfterDays`.
/// - ``new``: signed up within `newCustomerDays` and at most one order.
/// - ``loyal``: at least `loyalMinimumOrders` orders in the last year and a good review sentiment.
/// - ``active``: everyone else.
public enum CustomerState: String, Sendable, Codable, CaseIterable, Hashable {
    case new
    case active
    case loyal
    case atRisk = "at_risk"
    case churned

    /// Parses a state name as users type it (`at_risk`, `at-risk`, `AT_RISK`); nil for unknown names.
    public init?(name: String) {
        let normalized = name.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: "-", with: "_")
        self.init(rawValue: normalized)
    }
}
