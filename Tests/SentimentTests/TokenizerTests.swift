import Foundation
import Testing

@testable import Sentiment

@Suite struct TokenizerTests {
    static let corpus = [
        "배송이 빨라요 ㅋㅋㅋ", "배송이 너무 늦어요 ㅠㅠ", "최고예요 👍", "별로예요...", "good 상품 10점", "최악 1점",
    ]

    @Test func normalizesUnicodeCaseWidthAndWhitespace() {
        // Decomposed Hangul (NFD) becomes syllables; full-width letters and digits become ASCII;
        // Latin is lowercased; whitespace runs become one space with none at the ends.
        let decomposed = "\u{1100}\u{1161}\u{11A8}"  // 각 as three conjoining jamo
        #expect(String(TextNormalizer.normalize(decomposed)) == "각")
        #expect(String(TextNormalizer.normalize("  ＧＯＯＤ\t\n１０점  ")) == "good 10점")
        #expect(String(TextNormalizer.normalize("Ärger")) == "ärger")
        #expect(
            String(TextNormalizer.normalize("a\u{200B}b\u{0007}c")) == "abc",
            "format and control characters are dropped")
    }

    /// The code-point fast paths (ASCII, Hangul) fold every one-scalar character exactly as its Unicode properties
    /// do: the shipped model's tokens must not change.
    @Test func foldingByCodePointAgreesWithTheUnicodeProperties() {
        var disagreements: [String] = []
        var checked = 0
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }  // surrogates
            let character = Character(scalar)
            checked += 1
            if TextNormalizer.fold(character) != TextNormalizer.foldByProperties(character) {
                disagreements.append(String(value, radix: 16))
            }
        }
        #expect(checked == 1_112_064)
        #expect(disagreements.isEmpty, "code points folded differently: \(disagreements.prefix(10))")
    }

    /// Text the normaliser takes as NFC without normalising it is NFC: each of those scalars alone, and seeded
    /// strings of them.
    @Test func textTakenAsNFCIsNFC() {
        let ranges: [ClosedRange<UInt32>] = [0x00...0x2FF, 0xAC00...0xD7A3, 0x3131...0x318E]
        let scalars = ranges.flatMap { $0.compactMap(Unicode.Scalar.init) }
        let notNFC = scalars.filter { String($0).precomposedStringWithCanonicalMapping != String($0) }
        #expect(notNFC.isEmpty, "not NFC: \(notNFC.prefix(10).map { String($0.value, radix: 16) })")
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<2_000 {
            var text = String.UnicodeScalarView()
            for _ in 0..<Int.random(in: 1...12, using: &generator) {
                text.append(scalars.randomElement(using: &generator)!)
            }
            let string = String(text)
            #expect(TextNormalizer.isKnownNFC(string))
            #expect(string.precomposedStringWithCanonicalMapping.unicodeScalars.elementsEqual(string.unicodeScalars))
        }
        #expect(!TextNormalizer.isKnownNFC("e\u{301}"), "a combining mark is normalised")
        #expect(!TextNormalizer.isKnownNFC("\u{1100}\u{1161}"), "conjoining jamo are normalised")
    }

    @Test func capsRepeatedCharacters() {
        #expect(String(TextNormalizer.normalize("ㅋㅋㅋㅋㅋㅋㅋ")) == "ㅋㅋㅋ")
        #expect(String(TextNormalizer.normalize("좋아요!!!!!!")) == "좋아요!!!")
        #expect(String(TextNormalizer.normalize("ㅠㅠ")) == "ㅠㅠ")
    }

    @Test func splitsKoreanIntoSyllablesWithWordBoundaries() {
        let tokenizer = Tokenizer.train(unit: .syllable, texts: Self.corpus, minimumCount: 1)
        #expect(tokenizer.pieces("배송이 빨라요") == ["배", "송", "이", "▁", "빨", "라", "요"])
        #expect(tokenizer.pieces("ㅋㅋㅋㅋ ㅠㅠ") == ["ㅋ", "ㅋ", "ㅋ", "▁", "ㅠ", "ㅠ"])
    }

    @Test func keepsEmojiSequencesWhole() {
        let tokenizer = Tokenizer.train(unit: .syllable, texts: Self.corpus, minimumCount: 1)
        // A family emoji is one grapheme of several scalars joined by ZWJ; a flag is two scalars.
        #expect(tokenizer.pieces("좋아 👨‍👩‍👧 🇰🇷") == ["좋", "아", "▁", "👨‍👩‍👧", "▁", "🇰🇷"])
        #expect(tokenizer.encode("👍") != [Vocabulary.unknown], "a seen emoji has its own id")
    }

    @Test func unknownTokensAndEmptyText() {
        let tokenizer = Tokenizer.train(unit: .syllable, texts: Self.corpus, minimumCount: 1)
        #expect(tokenizer.encode("") == [Vocabulary.unknown], "an empty review is one unknown token")
        #expect(tokenizer.encode("   \n\t ") == [Vocabulary.unknown])
        #expect(tokenizer.encode("뷁") == [Vocabulary.unknown])
        let known = tokenizer.encode("배송")
        #expect(known.count == 2 && !known.contains(Vocabulary.unknown))
    }

    @Test func frequencyCutOffDecidesTheVocabulary() {
        let tokenizer = Tokenizer.train(unit: .syllable, texts: Self.corpus, minimumCount: 2)
        #expect(tokenizer.vocabulary.id("배") != nil, "배 occurs twice")
        #expect(tokenizer.vocabulary.id("빨") == nil, "빨 occurs once")
        // Ids are dense from 2, most frequent first.
        let ids = tokenizer.vocabulary.tokens.dropFirst(2).compactMap { tokenizer.vocabulary.id($0) }
        #expect(ids == Array(2..<Int32(tokenizer.vocabulary.count)))
    }

    @Test func bigramUnitCarriesTwoIdsPerPosition() {
        let tokenizer = Tokenizer.train(
            unit: .syllableBigram, texts: Self.corpus, minimumCount: 1, bigramMinimumCount: 2)
        let ids = tokenizer.encode("배송이")
        #expect(ids.count == 6)
        #expect(ids[1] == tokenizer.vocabulary.id("배\u{1F}송"), "배송 occurs twice: it has an id")
        #expect(ids[5] == Vocabulary.nothing, "the last position starts no pair")
    }

    @Test func handlesAHundredKilobyteReview() {
        let tokenizer = Tokenizer.train(unit: .syllable, texts: Self.corpus, minimumCount: 1)
        let unit = "배송이 빨라요 good 👍 ㅋㅋ 10점! "
        let text = String(repeating: unit, count: 100_000 / unit.utf8.count + 1)
        #expect(text.utf8.count >= 100_000)
        #expect(tokenizer.pieces(text).count > 30_000)
        // The network reads the first positions only, so memory does not grow with the text.
        let ids = tokenizer.encode(text)
        #expect(ids.count == Tokenizer.maximumPositions)
        #expect(Array(ids.prefix(50)) == Array(tokenizer.encode(String(text.prefix(200))).prefix(50)))
    }

    @Test func anyReviewTheShopCanStoreIsReadWhole() {
        let tokenizer = Tokenizer.train(unit: .syllableBigram, texts: Self.corpus, minimumCount: 1)
        // Every character its own position, with a word boundary after each: the most positions 10,000
        // characters (the shop's limit on a review body) can make.
        for unit in ["a ", "배 ", "ㅋ ", "👍 ", "! ", "1 "] {
            let text = String(repeating: unit, count: 5_000)
            let positions = tokenizer.pieces(text).count
            #expect(positions <= Tokenizer.maximumPositions, "\(unit): \(positions)")
            #expect(tokenizer.encode(text).count == positions * tokenizer.idsPerPosition)
        }
    }
}
