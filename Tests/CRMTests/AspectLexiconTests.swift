import CRM
import Testing

@Suite struct AspectLexiconTests {
    let lexicon = AspectLexicon.korean

    @Test func findsAspectsInKoreanReviews() {
        #expect(lexicon.aspects(in: "배송이 너무 늦고 포장도 엉망이에요") == ["delivery", "packaging"])
        #expect(lexicon.aspects(in: "사이즈가 작아요. 한 치수 크게 주문하세요") == ["size_fit"])
        #expect(lexicon.aspects(in: "가격 대비 품질이 별로") == ["price", "quality"])
        #expect(lexicon.aspects(in: "판매자 응대가 불친절합니다") == ["service"])
    }

    @Test func findsNothingInTextWithoutAspects() {
        #expect(lexicon.aspects(in: "그냥 그래요").isEmpty)
        #expect(lexicon.aspects(in: "").isEmpty)
    }

    @Test func englishKeywordsIgnoreCase() {
        #expect(lexicon.aspects(in: "Terrible SHIPPING") == ["delivery"])
    }

    @Test func emptyAspectsAreReported() {
        let broken = AspectLexicon(keywords: ["delivery": ["  "], "": ["x"]])
        #expect(broken.problems() == ["an aspect has an empty name", "aspect delivery has no keywords"])
    }

    @Test func emptyTextIsNotScorable() {
        #expect(ReviewText.scorable(nil) == nil)
        #expect(ReviewText.scorable("  \n\t ") == nil)
        #expect(ReviewText.scorable("\u{200B}\u{FEFF}") == nil)
        #expect(ReviewText.scorable("ㅋㅋ") == "ㅋㅋ")
        #expect(ReviewText.scorable("👍") == "👍")
    }
}
