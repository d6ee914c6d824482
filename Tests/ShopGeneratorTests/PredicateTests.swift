import Testing

@testable import ShopGenerator

@Suite struct PredicateTests {
    @Test func conjugatesConsonantStems() {
        let late = Predicate.d("너무 늦")
        #expect(late.finite(.polite) == "너무 늦어요")
        #expect(late.finite(.polite, exclaiming: true) == "너무 늦네요")
        #expect(late.finite(.formal) == "너무 늦습니다")
        #expect(late.finite(.plain) == "너무 늦다")
        #expect(late.finite(.eum) == "너무 늦음")
        #expect(late.linking == "너무 늦고")
        #expect(late.contrast == "너무 늦지만")
        #expect(Predicate.d("재질이 생각보다 얇").finite(.polite) == "재질이 생각보다 얇아요")
        #expect(Predicate.d("도착했").finite(.polite) == "도착했어요")
    }

    @Test func conjugatesVowelStems() {
        let kind = Predicate.d("친절하")
        #expect(kind.finite(.polite) == "친절해요")
        #expect(kind.finite(.formal) == "친절합니다")
        #expect(kind.finite(.eum) == "친절함")
        let fast = Predicate.d("정말 빠르", "빨라")
        #expect(fast.finite(.polite) == "정말 빨라요")
        #expect(fast.finite(.formal) == "정말 빠릅니다")
        #expect(fast.finite(.eum) == "정말 빠름")
        #expect(Predicate.a("평소 사이즈대로 주문하면 되").finite(.polite) == "평소 사이즈대로 주문하면 돼요")
        #expect(Predicate.a("다시는 안 사").finite(.formal) == "다시는 안 삽니다")
    }

    @Test func conjugatesActionVerbsInThePlainRegister() {
        #expect(Predicate.a("딱 맞").finite(.plain) == "딱 맞는다")
        #expect(Predicate.a("추천하").finite(.plain) == "추천한다")
        #expect(Predicate.a("지독하게 나").finite(.plain) == "지독하게 난다")
        #expect(Predicate.a("다시는 안 사").finite(.eum) == "다시는 안 삼")
    }

    @Test func dropsRieulAndKeepsIrregularNominals() {
        let like = Predicate.a("너무 마음에 들")
        #expect(like.finite(.polite) == "너무 마음에 들어요")
        #expect(like.finite(.formal) == "너무 마음에 듭니다")
        #expect(like.finite(.plain) == "너무 마음에 든다")
        #expect(like.finite(.eum) == "너무 마음에 듦")
        let pity = Predicate.d("조금 아쉽", "아쉬워")
        #expect(pity.finite(.polite) == "조금 아쉬워요")
        #expect(pity.finite(.eum) == "조금 아쉬움")
        #expect(pity.finite(.formal) == "조금 아쉽습니다")
    }

    @Test func conjugatesTheCopula() {
        let worst = Predicate.n("최악")
        #expect(worst.finite(.polite) == "최악이에요")
        #expect(worst.finite(.polite, exclaiming: true) == "최악이네요")
        #expect(worst.finite(.formal) == "최악입니다")
        #expect(worst.finite(.plain) == "최악이다")
        #expect(worst.finite(.eum) == "최악임")
        let meh = Predicate.n("별로")
        #expect(meh.finite(.polite) == "별로예요")
        #expect(meh.finite(.plain) == "별로다")
        #expect(meh.contrast == "별로지만")
        #expect(meh.linking == "별로이고")
    }

    @Test func choosesParticlesByTheLastSyllable() {
        #expect(PhraseGroup.fill("{N이} 예뻐요", noun: "가방") == "가방이 예뻐요")
        #expect(PhraseGroup.fill("{N이} 예뻐요", noun: "니트") == "니트가 예뻐요")
        #expect(PhraseGroup.fill("{N은}", noun: "크림") == "크림은")
        #expect(PhraseGroup.fill("{N} 품질이", noun: "텀블러") == "텀블러 품질이")
    }

    @Test func everyPredicateInThePhrasebookHasAnInfinitive() {
        let missing = PhraseCatalog.allPredicates.filter { $0.kind != .copula && $0.infinitive == nil }.map(\.stem)
        #expect(missing.isEmpty)
    }
}
