import Foundation

extension ShopModel {
    /// Share of reviews that are edge cases (굿, ㅋㅋㅋ, 👍, English words).
    static let edgeCaseShare = 0.03
    /// Share of reviews that run to thousands of characters.
    static let longShare = 0.001
    /// Share of reviews without a star rating.
    static let unratedShare = 0.05

    /// The chance that a review is negative, given what happened to the customer.
    ///
    /// Most reviews are positive; duds, refunds and customers who stopped buying after this order raise it.
    static func negativeChance(product: ProductProfile, refunded: Bool, lapsed: Bool) -> Double {
        var chance = 0.16
        if product.isLemon { chance = max(chance, 0.55) }
        if lapsed { chance = max(chance, 0.5) }
        if refunded { chance = max(chance, 0.85) }
        return chance
    }

    /// The review `id`, with rating and text drawn from its own stream (`stream`, element `id`) so they
    /// depend on nothing else.
    func review(
        id: Int64, customer: Int64, product: ProductProfile, orderId: Int64?, createdAt: Date, negativeChance: Double,
        stream: StreamKey = .review
    ) -> GeneratedReview {
        var random = SplitMix64(seed: options.seed, stream: stream, index: UInt64(id))
        let polarity: ReviewPolarity = random.chance(negativeChance) ? .negative : .positive
        let stars = Self.stars(for: polarity, random: &random)
        let text: ReviewText
        if random.chance(options.emptyBodyShare) {
            text = ReviewText(body: random.pick(["", " ", "\n", " \t "]) ?? "", aspects: [], complaints: [])
        } else if random.chance(Self.edgeCaseShare) {
            text = Self.edgeCase(polarity: polarity, random: &random)
        } else if random.chance(Self.longShare) {
            text = Self.longText(polarity: polarity, stars: stars, product: product, random: &random)
        } else {
            text = ReviewComposer.compose(
                polarity: polarity, stars: stars, categoryIndex: product.categoryIndex, noun: product.noun,
                focus: product.weakAspect, random: &random)
        }
        return GeneratedReview(
            id: id, customerId: customer, productId: product.id, orderId: orderId,
            rating: random.chance(Self.unratedShare) ? nil : stars, body: text.body,
            createdAt: createdAt, polarity: polarity, aspects: text.aspects,
            complaints: text.complaints)
    }

    /// A star rating that mostly agrees with the polarity: a few 3-star positives and 3- or 4-star
    /// negatives, and a rare 1-star slip on a happy text.
    static func stars(for polarity: ReviewPolarity, random: inout SplitMix64) -> Int {
        switch polarity {
        case .positive: [5, 4, 3, 1][random.weightedIndex([62.5, 30, 7, 0.5])]
        case .negative: [1, 2, 3, 4][random.weightedIndex([45, 35, 17, 3])]
        }
    }

    private static func edgeCase(polarity: ReviewPolarity, random: inout SplitMix64) -> ReviewText {
        let candidates = polarity == .positive ? positiveEdgeCases : negativeEdgeCases
        let edge = candidates[random.below(candidates.count)]
        return ReviewText(
            body: edge.text, aspects: edge.aspects.sorted(),
            complaints: polarity == .negative ? edge.aspects.sorted() : [])
    }

    private static let positiveEdgeCases = EdgeCaseReview.all.filter { $0.polarity == .positive }
    private static let negativeEdgeCases = EdgeCaseReview.all.filter { $0.polarity == .negative }

    /// A review of one to nine thousand characters (mostly near the short end): paragraph after paragraph
    /// of the same sentiment.
    static func longText(
        polarity: ReviewPolarity, stars: Int, product: ProductProfile, random: inout SplitMix64
    ) -> ReviewText {
        let target = 1_000 + Int(8_000 * pow(random.unit(), 3))
        var paragraphs: [String] = []
        var length = 0
        var aspects: Set<ReviewAspect> = []
        var complaints: Set<ReviewAspect> = []
        while length < target {
            let part = ReviewComposer.compose(
                polarity: polarity, stars: stars, categoryIndex: product.categoryIndex, noun: product.noun,
                focus: product.weakAspect, random: &random)
            let partLength = part.body.unicodeScalars.count + 2
            if length + partLength > GeneratedReview.maximumBodyLength { break }
            paragraphs.append(part.body)
            length += partLength
            aspects.formUnion(part.aspects)
            complaints.formUnion(part.complaints)
        }
        return ReviewText(
            body: paragraphs.joined(separator: "\n\n"), aspects: aspects.sorted(), complaints: complaints.sorted())
    }
}
