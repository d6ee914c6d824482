import Foundation

/// Decides whether a review's text can be scored by the sentiment model.
public enum ReviewText {
    /// The text to score, or nil when there is nothing to score (NULL, empty, only whitespace or
    /// invisible characters). Such a review is quarantined as ``QuarantineReason/emptyBody``; its
    /// rating, if any, still counts toward the customer's state.
    public static func scorable(_ body: String?) -> String? {
        guard let body else { return nil }
        // Stops at the first visible scalar, nearly always the first one.
        let visible = body.unicodeScalars.contains { scalar in
            !(scalar.properties.isWhitespace || scalar.properties.isDefaultIgnorableCodePoint
                || scalar.properties.generalCategory == .control || scalar.properties.generalCategory == .format)
        }
        return visible ? body : nil
    }
}

/// Why a review was set aside instead of scored. Stored in `crm.review_quarantine.reason`.
public enum QuarantineReason: String, Sendable, Codable, CaseIterable {
    /// The body is empty or only whitespace: there is no text to score.
    case emptyBody = "empty_body"
    /// No `shop.customers` row has the review's customer id (after the configured retries).
    case unknownCustomer = "unknown_customer"
    /// No `shop.products` row has the review's product id (after the configured retries).
    case unknownProduct = "unknown_product"

    /// Whether the review may become usable later (the shop may commit the customer or product after the review).
    public var isRetryable: Bool { self != .emptyBody }
}
