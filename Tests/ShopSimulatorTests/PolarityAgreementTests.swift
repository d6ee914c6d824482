import Foundation
import Sentiment
import ShopGenerator
import Testing

/// The generated review texts say what they were written to say: the shipped sentiment model, scoring them,
/// agrees with their intended polarity on at least 90 % of them.
@Suite struct PolarityAgreementTests {
    /// The shipped model, found from this file's place in the repository.
    static let modelURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("models/ondo-sentiment-ko.model")

    @Test func theShippedModelAgreesWithTheIntendedPolarity() throws {
        let model = try SentimentModel.load(contentsOf: Self.modelURL)
        let generator = try ShopGenerator(
            options: ShopGeneratorOptions(
                seed: 7, customers: 2_000, products: 200, orders: 10_000, reviews: 4_000,
                now: Date(timeIntervalSince1970: 1_767_225_600)))
        let reviews = Array(generator.reviews())
        let probabilities = stride(from: 0, to: reviews.count, by: 256).flatMap { start in
            model.predict(reviews[start..<min(start + 256, reviews.count)].map(\.body))
        }
        var agreed: [ReviewPolarity: Int] = [:]
        var total: [ReviewPolarity: Int] = [:]
        for (review, probability) in zip(reviews, probabilities) {
            total[review.polarity, default: 0] += 1
            if (probability >= 0.5) == (review.polarity == .positive) { agreed[review.polarity, default: 0] += 1 }
        }
        let agreement = Double(agreed.values.reduce(0, +)) / Double(reviews.count)
        func share(_ polarity: ReviewPolarity) -> String {
            String(format: "%.1f %%", 100 * Double(agreed[polarity] ?? 0) / Double(max(total[polarity] ?? 0, 1)))
        }
        print(
            String(
                format: "polarity agreement of model %@ on %d generated reviews (seed 7): %.1f %%", model.version,
                reviews.count, agreement * 100)
                + " — positive \(share(.positive)) of \(total[.positive] ?? 0), negative \(share(.negative)) of "
                + "\(total[.negative] ?? 0)")
        #expect(reviews.count == 4_000)
        #expect(agreement >= 0.90)
    }
}
