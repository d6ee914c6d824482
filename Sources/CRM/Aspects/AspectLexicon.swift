import Foundation

/// Complaint aspects and the Korean (and a little English) keywords that reveal them in a review.
///
/// Matching is by substring on the normalised text, which suits Korean: a keyword stem such as
/// `배송` matches `배송이`, `배송은`, `배송도`. The default lexicon can be replaced or extended in the
/// `aspects` section of the configuration file.
public struct AspectLexicon: Sendable, Equatable, Codable {
    /// Aspect name → keywords. Names are short snake_case words (`delivery`, `size_fit`).
    public var keywords: [String: [String]] {
        didSet { matchers = Self.matchers(for: keywords) }
    }
    /// The keywords in search form, indexed: derived from `keywords`, kept in step with it.
    private var matchers: KeywordIndex

    /// Creates a lexicon from aspect names and their keywords.
    public init(keywords: [String: [String]]) {
        self.keywords = keywords
        self.matchers = Self.matchers(for: keywords)
    }

    enum CodingKeys: String, CodingKey {
        case keywords
    }

    /// Decodes a lexicon from its JSON file (`{"keywords": {aspect: [keyword, …]}}`).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(keywords: try container.decode([String: [String]].self, forKey: .keywords))
    }

    /// The aspects this lexicon knows, sorted.
    public var aspects: [String] { keywords.keys.sorted() }

    /// The default lexicon for Korean shopping reviews.
    public static let korean = AspectLexicon(keywords: [
        "delivery": ["배송", "택배", "배달", "도착", "출고", "발송", "늦게 와", "늦게와", "늦어", "느려", "지연", "delivery", "shipping"],
        "quality": ["품질", "불량", "하자", "고장", "찢어", "터졌", "터져", "망가", "마감", "재질", "조잡", "싸구려", "부서", "quality"],
        "size_fit": ["사이즈", "치수", "작아요", "커요", "작네", "크네", "작고", "크고", "핏이", "길이가", "안 맞", "안맞", "size"],
        "price": ["가격", "비싸", "가성비", "돈 아깝", "돈아깝", "값이", "price"],
        "packaging": ["포장", "박스", "상자", "뽁뽁이", "찌그러", "packaging"],
        "service": ["응대", "고객센터", "상담", "문의", "답변", "서비스", "교환", "환불", "반품", "판매자", "불친절", "service"],
        "color": ["색상", "색깔", "색이", "컬러", "color"],
        "mismatch": ["사진과 다", "사진이랑 다", "설명과 다", "실물", "상세페이지", "다른 제품", "다른 상품"],
        "smell": ["냄새", "악취", "smell"],
    ])

    /// The aspects whose keywords occur in `text`, sorted by name.
    ///
    /// Text and keywords are compared as lowercased NFC UTF-8 bytes (a whole UTF-8 keyword can only
    /// match at a character start). This runs for every review the pipeline scores: Foundation's
    /// `String.contains` made it a third of the server's CPU time, and trying every keyword at every
    /// byte still 5 % of its samples in a drain, so the keywords are indexed by their first two bytes.
    public func aspects(in text: String) -> [String] {
        matchers.aspects(in: Self.searchForm(text))
    }

    private static func matchers(for keywords: [String: [String]]) -> KeywordIndex {
        KeywordIndex(
            keywords.map { aspect, words in (aspect, words.filter { !$0.isEmpty }.map(searchForm)) }
                .sorted { $0.0 < $1.0 })
    }

    private static func searchForm(_ text: String) -> [UInt8] {
        Array(text.precomposedStringWithCanonicalMapping.lowercased().utf8)
    }

    /// Lexicons are equal when their keywords are; the index follows from them.
    public static func == (lhs: AspectLexicon, rhs: AspectLexicon) -> Bool {
        lhs.keywords == rhs.keywords
    }

    /// A sentence per problem (empty aspect names, aspects without keywords, blank keywords); empty when valid.
    public func problems() -> [String] {
        keywords.flatMap { aspect, words -> [String] in
            var found: [String] = []
            if aspect.trimmingCharacters(in: .whitespaces).isEmpty { found.append("an aspect has an empty name") }
            if words.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
                found.append("aspect \(aspect) has no keywords")
            } else if let blank = words.first(where: { !$0.isEmpty && $0.trimmingCharacters(in: .whitespaces).isEmpty })
            {
                // An empty keyword matches nothing; one of spaces matches every review with a space in it.
                found.append("aspect \(aspect) has a blank keyword (\"\(blank)\"), which would match every space")
            }
            return found
        }.sorted()
    }
}
