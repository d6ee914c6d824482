import Testing

@testable import ShopGenerator

@Suite struct PredicateTests {
    @Test func conjugatesRegularStems() {
        let late = Predicate.d("너무 늦")
        #expect(late.finite(.polite) == "너무 늦어요")
        #expect(late.finite(.polite, exclaiming: true) == "너무 늦네요")
        #expect(late.finite(.formal) == "너무 늦습니다")
        #expect(late.finite(.plain) == "너무 늦다")
        #expect(late.finite(.eum) == "너무 늦음")
        #expect(late.linking == "너무 늦고")
        #expect(late.contrast == "너무 늦지만")
    }
}
