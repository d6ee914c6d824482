import CRM
import Foundation
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

    @Test func decomposedHangulMatchesLikeComposed() {
        let decomposed = "배송이 늦어요".decomposedStringWithCanonicalMapping
        #expect(decomposed.unicodeScalars.count > "배송이 늦어요".unicodeScalars.count)
        #expect(lexicon.aspects(in: decomposed) == ["delivery"])
        let custom = AspectLexicon(keywords: ["delivery": ["배송".decomposedStringWithCanonicalMapping]])
        #expect(custom.aspects(in: "배송 빨라요") == ["delivery"])
    }

    @Test func keywordsOnlyMatchWholeCharacters() {
        // 송 is one syllable: its jamo ㅅ alone, or a keyword made of part of its UTF-8 bytes, must not match.
        let custom = AspectLexicon(keywords: ["letter": ["ㅅ"], "empty": [""]])
        #expect(custom.aspects(in: "배송").isEmpty)
        #expect(custom.aspects(in: "ㅅㅅ") == ["letter"])
    }

    @Test func editedAndDecodedLexiconsMatchTheirKeywords() throws {
        var edited = AspectLexicon.korean
        edited.keywords["gift"] = ["선물"]
        #expect(edited.aspects(in: "선물로 샀어요") == ["gift"])
        let decoded = try JSONDecoder().decode(AspectLexicon.self, from: JSONEncoder().encode(edited))
        #expect(decoded == edited)
        #expect(decoded.aspects(in: "선물 포장이 엉망이에요") == ["gift", "packaging"])
    }

    @Test func emptyAspectsAreReported() {
        let broken = AspectLexicon(keywords: ["delivery": ["  "], "": ["x"]])
        #expect(broken.problems() == ["an aspect has an empty name", "aspect delivery has no keywords"])
    }

    /// A keyword of spaces alone matched every review with a space in it, tagging nearly every negative review with
    /// that aspect; it was accepted unless all of the aspect's keywords were blank.
    @Test func aBlankKeywordAmongRealOnesIsReported() {
        let lexicon = AspectLexicon(keywords: ["delivery": ["배송", " "], "price": ["가격", ""]])
        #expect(lexicon.aspects(in: "좋아요 최고") == ["delivery"])
        #expect(lexicon.problems() == [#"aspect delivery has a blank keyword (" "), which would match every space"#])
    }

    @Test func emptyTextIsNotScorable() {
        #expect(ReviewText.scorable(nil) == nil)
        #expect(ReviewText.scorable("  \n\t ") == nil)
        #expect(ReviewText.scorable("\u{200B}\u{FEFF}") == nil)
        #expect(ReviewText.scorable("ㅋㅋ") == "ㅋㅋ")
        #expect(ReviewText.scorable("👍") == "👍")
    }
}
