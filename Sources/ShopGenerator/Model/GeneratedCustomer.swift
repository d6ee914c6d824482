import Foundation

/// One row of `shop.customers`.
public struct GeneratedCustomer: Sendable, Equatable, Hashable {
    /// The shop's customer id (1-based, in signup order).
    public var id: Int64
    /// A fake address under a reserved example domain.
    public var email: String
    /// A fake mobile number (`010-0xxx-xxxx` or `010-1xxx-xxxx`, blocks never issued to subscribers).
    public var phone: String
    /// A Korean full name, family name first (김민준).
    public var name: String
    /// Whether the customer agreed to receive advertising.
    public var marketingConsent: Bool
    /// Whether the customer also agreed to advertising between 21:00 and 08:00 (only with marketing consent).
    public var nightConsent: Bool
    /// When the customer signed up (whole seconds).
    public var createdAt: Date

    /// Creates a customer row.
    public init(
        id: Int64, email: String, phone: String, name: String, marketingConsent: Bool, nightConsent: Bool,
        createdAt: Date
    ) {
        self.id = id
        self.email = email
        self.phone = phone
        self.name = name
        self.marketingConsent = marketingConsent
        self.nightConsent = nightConsent
        self.createdAt = createdAt
    }
}
