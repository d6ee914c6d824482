import Foundation

extension ShopModel {
    /// Domains reserved for examples (RFC 2606): no address here can reach a real person.
    static let emailDomains = ["example.com", "example.net", "example.org"]

    /// The `shop.customers` row of customer `id`.
    func customer(id: Int64) -> GeneratedCustomer {
        var random = SplitMix64(seed: options.seed, stream: .customer, index: UInt64(id))
        let family = KoreanName.families[random.weightedIndex(KoreanName.familyWeights)]
        let given = KoreanName.given[random.below(KoreanName.given.count)]
        let domain = Self.emailDomains[random.weightedIndex([6, 2, 2])]
        let local: String
        switch random.below(3) {
        case 0: local = "\(given.roman).\(family.roman)\(id)"
        case 1: local = "\(family.roman)_\(given.roman)\(id)"
        default: local = "\(family.roman)\(given.roman.prefix(2))\(id)"
        }
        let marketing = random.chance(0.6)
        let night = marketing && random.chance(0.3)
        return GeneratedCustomer(
            id: id, email: local + "@" + domain, phone: Self.phone(customer: id), name: family.hangul + given.hangul,
            marketingConsent: marketing, nightConsent: night,
            createdAt: Date(timeIntervalSince1970: Double(signupSecond(customer: id))))
    }

    /// A mobile number unique for the first 20 million ids: an affine permutation of the id over the
    /// 2·10⁷ numbers 010-0000-0000 … 010-1999-9999, whose middle blocks are never issued to subscribers.
    static func phone(customer id: Int64) -> String {
        let space: Int64 = 20_000_000
        // 7,919 is prime and shares no factor with 2·10⁷, so the map is a bijection on the space.
        let number = (id % space * 7_919 + 1_234_567) % space
        let middle = String(number / 10_000)
        let last = String(number % 10_000)
        return "010-" + String(repeating: "0", count: 4 - middle.count) + middle + "-"
            + String(repeating: "0", count: 4 - last.count) + last
    }
}
