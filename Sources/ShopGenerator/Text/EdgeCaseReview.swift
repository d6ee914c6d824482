/// A hand-picked unusual review text for robustness: one syllable, laughter in bare jamo, emoji only,
/// English words mixed in. Its polarity is still plain to a Korean reader.
struct EdgeCaseReview: Sendable {
    /// The whole body.
    let text: String
    /// The sentiment it expresses.
    let polarity: ReviewPolarity
    /// The aspects it names (all criticised when the polarity is negative).
    let aspects: [ReviewAspect]

    init(_ text: String, _ polarity: ReviewPolarity, _ aspects: [ReviewAspect] = []) {
        self.text = text
        self.polarity = polarity
        self.aspects = aspects
    }

    /// The catalogue of edge cases, in a fixed order.
    static let all: [EdgeCaseReview] = [
        .init("굿", .positive), .init("굿굿", .positive), .init("좋아요", .positive), .init("최고", .positive),
        .init("👍", .positive), .init("👍👍👍", .positive), .init("ㅋㅋㅋ", .positive), .init("ㅋㅋㅋㅋㅋ 대박", .positive),
        .init("ㅎㅎ 만족", .positive), .init("good", .positive), .init("Good!! 👍", .positive),
        .init("very good", .positive), .init("배송 fast 👍", .positive, [.delivery]),
        .init("quality 굿", .positive, [.quality]), .init("size 딱 맞아요", .positive, [.sizeFit]),
        .init("가성비 good", .positive, [.price]), .init("❤️❤️❤️", .positive), .init("5점 만점에 5점!!", .positive),
        .init("강추", .positive), .init("  좋아요  ", .positive), .init("좋아요\n\n재구매 의사 있어요", .positive),
        .init("별로", .negative), .init("ㅠㅠ", .negative), .init("ㅠㅠㅠ 별로", .negative), .init("👎", .negative),
        .init("bad", .negative), .init("최악", .negative), .init("비추", .negative),
        .init("size 미스 ㅠㅠ", .negative, [.sizeFit]), .init("quality 별로예요", .negative, [.quality]),
        .init("배송 too slow ㅠ", .negative, [.delivery]), .init("1점도 아까워요", .negative),
        .init("최악\n\n다시는 안 사요", .negative),
    ]
}
