/// A complaint aspect a generated review talks about. Raw values are the aspect names of the domain's
/// complaint lexicon (`CRM.AspectLexicon.korean`), so the two can be compared directly.
public enum ReviewAspect: String, Sendable, CaseIterable, Comparable, Codable {
    /// 배송: delivery speed and the courier.
    case delivery
    /// 품질: defects, finish, material.
    case quality
    /// 사이즈: size and fit.
    case sizeFit = "size_fit"
    /// 가격: price and value for money.
    case price
    /// 포장: packaging.
    case packaging
    /// 응대: customer service, exchanges and refunds.
    case service
    /// 색상: colour.
    case color
    /// 사진/설명과 다름: the item differs from its photos or description.
    case mismatch
    /// 냄새: smell.
    case smell

    /// Orders aspects by name, as the lexicon lists them.
    public static func < (lhs: ReviewAspect, rhs: ReviewAspect) -> Bool { lhs.rawValue < rhs.rawValue }
}
