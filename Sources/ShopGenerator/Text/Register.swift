/// The speech level a review is written in; one review keeps one register throughout.
enum Register: CaseIterable {
    /// 해요체, the usual polite register of reviews (좋아요, 좋네요).
    case polite
    /// 합쇼체, formal (좋습니다).
    case formal
    /// 해라체, plain written style (좋다).
    case plain
    /// 음슴체, the clipped online style (좋음).
    case eum

    /// How often each register appears in generated reviews, in `allCases` order.
    static let weights: [Double] = [0.55, 0.12, 0.08, 0.25]
}
