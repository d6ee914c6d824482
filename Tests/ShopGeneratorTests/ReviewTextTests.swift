import CRM
import Foundation
import Testing

@testable import ShopGenerator

@Suite struct ReviewTextTests {
    let lexicon = AspectLexicon.korean

    @Test func aspectNamesAreTheLexiconsNames() {
        #expect(ReviewAspect.allCases.map(\.rawValue).sorted() == lexicon.aspects)
    }

    @Test func everyAspectClauseNamesItsAspectAndNoOther() {
        var wrong: [String] = []
        for (aspect, group) in PhraseCatalog.aspectGroups {
            for text in PhraseCatalog.renderings(of: group) where lexicon.aspects(in: text) != [aspect.rawValue] {
                wrong.append("\(aspect.rawValue): \(text) → \(lexicon.aspects(in: text))")
            }
        }
        #expect(wrong.isEmpty, "\(wrong.prefix(20))")
    }

    @Test func generalClausesAndClosingsNameNoAspect() {
        var texts = PhraseCatalog.generalGroups.flatMap(PhraseCatalog.renderings(of:))
        texts += PhraseCatalog.closings.flatMap(PhraseCatalog.forms(of:))
        texts += GeneralPhrases.fixedClosingPraise + GeneralPhrases.fixedClosingComplaint
        texts += GeneralPhrases.positiveEndings + GeneralPhrases.negativeEndings
        let named = texts.filter { !lexicon.aspects(in: $0).isEmpty }
        #expect(named.isEmpty, "\(named.prefix(20))")
        #expect(texts.count > 1_000)
    }

    @Test func edgeCasesNameExactlyTheirAspects() {
        for edge in EdgeCaseReview.all {
            #expect(lexicon.aspects(in: edge.text) == edge.aspects.map(\.rawValue).sorted(), "\(edge.text)")
            #expect(ReviewText.scorable(edge.text) != nil)
        }
    }

    @Test func everyCategoryCanPraiseAndCriticiseEachOfItsAspects() {
        for (category, phrases) in zip(ProductCategory.all, CategoryPhrases.all) {
            #expect(phrases.aspects.count == category.aspectWeights.count, "\(category.name)")
            #expect(!phrases.generalPraise.isEmpty && !phrases.generalComplaint.isEmpty)
            #expect(!phrases.generalMildPraise.isEmpty && !phrases.generalMildComplaint.isEmpty)
        }
    }

    @Test func generatedReviewsNameTheAspectsTheLexiconFinds() {
        let reviews = SampleShops.small.reviews
        var wrong: [String] = []
        for review in reviews {
            let found = lexicon.aspects(in: review.body)
            // Every criticised aspect of a negative review shows one of the aspect's keywords…
            if review.polarity == .negative {
                for aspect in review.complaints where !found.contains(aspect.rawValue) {
                    wrong.append("missing \(aspect.rawValue): \(review.body)")
                }
            }
            // …and the lexicon finds nothing the review does not talk about.
            if found != review.aspects.map(\.rawValue) { wrong.append("\(found) ≠ \(review.aspects): \(review.body)") }
        }
        #expect(wrong.isEmpty, "\(wrong.prefix(10))")
        #expect(reviews.contains { $0.polarity == .negative && !$0.complaints.isEmpty })
    }

    @Test func complaintsAreAmongTheAspects() {
        for review in SampleShops.small.reviews {
            #expect(Set(review.complaints).isSubset(of: review.aspects))
        }
    }

    @Test func bodiesAreNeverEmptyAndNeverTooLong() {
        let reviews = SampleShops.small.reviews
        #expect(reviews.allSatisfy { ReviewText.scorable($0.body) != nil })
        #expect(reviews.allSatisfy { $0.body.unicodeScalars.count <= GeneratedReview.maximumBodyLength })
    }

    @Test(arguments: [ReviewPolarity.positive, .negative])
    func longReviewsStayWithinTheLimit(polarity: ReviewPolarity) {
        var random = SplitMix64(seed: 3)
        for id in 1...Int64(30) {
            let product = ProductProfile(seed: 3, id: id)
            let text = ShopModel.longText(polarity: polarity, stars: 3, product: product, random: &random)
            #expect(
                text.body.unicodeScalars.count >= 1_000
                    && text.body.unicodeScalars.count <= GeneratedReview.maximumBodyLength)
            #expect(lexicon.aspects(in: text.body) == text.aspects.map(\.rawValue))
        }
    }

    @Test func textsAreVaried() {
        let bodies = SampleShops.small.reviews.prefix(2_000).map(\.body)
        #expect(bodies.count == 2_000)
        #expect(Set(bodies).count >= 1_500)
    }

    @Test func emptyBodiesOnlyWhenAsked() throws {
        let generator = try ShopGenerator(
            options: SampleShops.options(seed: 5, customers: 300, orders: 600, reviews: 400, emptyBodyShare: 0.5))
        let empty = generator.reviews().filter { ReviewText.scorable($0.body) == nil }.count
        #expect(empty > 120 && empty < 280)
    }
}
