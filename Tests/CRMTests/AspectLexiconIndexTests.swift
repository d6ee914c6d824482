import CRM
import Foundation
import Testing

/// The indexed keyword search of ``AspectLexicon/aspects(in:)`` against the plain one it replaced (every keyword
/// tried at every byte), on texts built to catch an index's mistakes: keywords at the very start and end, cut off
/// by the end, overlapping, repeated, of one byte, and text around them in Hangul, jamo, Latin, digits and emoji.
@Suite struct AspectLexiconIndexTests {
    /// The search it replaced: lowercased NFC UTF-8 bytes, every keyword tried at every byte.
    static func plainSearch(_ lexicon: AspectLexicon, _ text: String) -> [String] {
        let haystack = Array(text.precomposedStringWithCanonicalMapping.lowercased().utf8)
        return lexicon.keywords.compactMap { aspect, words in
            let found = words.filter { !$0.isEmpty }.contains { word in
                let needle = Array(word.precomposedStringWithCanonicalMapping.lowercased().utf8)
                guard needle.count <= haystack.count else { return false }
                return (0...(haystack.count - needle.count)).contains { start in
                    haystack[start..<(start + needle.count)].elementsEqual(needle)
                }
            }
            return found ? aspect : nil
        }.sorted()
    }

    /// Texts of keywords, pieces of keywords and filler, in random order.
    static func texts(for lexicon: AspectLexicon, count: Int, seed: UInt64) -> [String] {
        var random = SeededGenerator(seed: seed)
        // In a fixed order: a dictionary's order changes from one process to the next.
        let words = lexicon.keywords.sorted { $0.key < $1.key }.flatMap(\.value).filter { !$0.isEmpty }
        let pieces = words.map { String($0.prefix(max($0.count - 1, 1))) } + words.map { String($0.dropFirst()) }
        let filler = ["좋아요", "그냥", " ", "ㅋㅋㅋ", "ㅠㅠ", "!!", "OK", "Good", "123", "😀", "👍🏻", "가", "배", "송", "e", "\n"]
        return (0..<count).map { _ in
            (0..<Int.random(in: 0...8, using: &random)).map { _ in
                switch Int.random(in: 0..<3, using: &random) {
                case 0: words[Int.random(in: words.indices, using: &random)]
                case 1: pieces[Int.random(in: pieces.indices, using: &random)]
                default: filler[Int.random(in: filler.indices, using: &random)]
                }
            }.joined(separator: Bool.random(using: &random) ? " " : "")
        }
    }

    @Test func theShippedLexiconFindsWhatThePlainSearchFinds() {
        let lexicon = AspectLexicon.korean
        let texts = Self.texts(for: lexicon, count: 6_000, seed: 7)
        let differing = texts.filter { lexicon.aspects(in: $0) != Self.plainSearch(lexicon, $0) }
        let withAspects = texts.filter { !lexicon.aspects(in: $0).isEmpty }.count
        print(
            "aspect index against the plain search: \(texts.count) texts, \(withAspects) with aspects, "
                + "\(differing.count) differing")
        #expect(withAspects > 3_000, "the texts must exercise the keywords")
        #expect(differing.isEmpty, "\(differing.prefix(5))")
    }

    @Test func aLexiconWithOneByteAndSharedPrefixKeywordsFindsWhatThePlainSearchFinds() {
        let lexicon = AspectLexicon(keywords: [
            "letter": ["e", "ㅋ"], "prefix": ["배", "배송이"], "longer": ["배송이 늦"], "latin": ["ok", "good"],
            "emoji": ["👍"], "digits": ["12"],
        ])
        let texts = Self.texts(for: lexicon, count: 5_000, seed: 11) + ["", "e", "배", "배송", "👍🏻", "1", "12"]
        let differing = texts.filter { lexicon.aspects(in: $0) != Self.plainSearch(lexicon, $0) }
        #expect(differing.isEmpty, "\(differing.prefix(5))")
    }
}
