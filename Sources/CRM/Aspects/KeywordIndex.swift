/// The aspects' keywords in search form (lowercased NFC UTF-8), indexed by their first two bytes: a text is read
/// once, and at each byte only the keywords that start with it and the next byte are compared, where trying every
/// keyword at every byte compared about eighty for each byte of a Korean review.
struct KeywordIndex: Sendable {
    /// Aspect names, sorted.
    private let aspects: [String]
    /// Each keyword of two bytes or more, with the index of its aspect.
    private let keywords: [(bytes: [UInt8], aspect: Int)]
    /// For each pair of first bytes (`first << 8 | second`), the range of `byPair` that lists its keywords.
    private let pairStart: [Int32]
    /// Indices into `keywords`, grouped by their first two bytes.
    private let byPair: [Int32]
    /// Keywords of a single byte (an ASCII letter, say), with the index of their aspect.
    private let singleBytes: [(byte: UInt8, aspect: Int)]

    /// Indexes `aspects`' keywords; the aspects in the order given, which ``aspects(in:)`` keeps.
    init(_ aspects: [(name: String, keywords: [[UInt8]])]) {
        self.aspects = aspects.map(\.name)
        var keywords: [(bytes: [UInt8], aspect: Int)] = []
        var singleBytes: [(byte: UInt8, aspect: Int)] = []
        for (index, aspect) in aspects.enumerated() {
            for keyword in aspect.keywords where !keyword.isEmpty {
                if keyword.count == 1 {
                    singleBytes.append((keyword[0], index))
                } else {
                    keywords.append((keyword, index))
                }
            }
        }
        // A counting sort of the keywords by their first two bytes.
        var counts = [Int32](repeating: 0, count: 65_537)
        for keyword in keywords { counts[Self.pair(keyword.bytes, 0) + 1] += 1 }
        for pair in 0..<65_536 { counts[pair + 1] += counts[pair] }
        var next = counts
        var byPair = [Int32](repeating: 0, count: keywords.count)
        for (index, keyword) in keywords.enumerated() {
            let pair = Self.pair(keyword.bytes, 0)
            byPair[Int(next[pair])] = Int32(index)
            next[pair] += 1
        }
        self.keywords = keywords
        self.pairStart = counts
        self.byPair = byPair
        self.singleBytes = singleBytes
    }

    /// The aspects with a keyword in `text` (search form), in the order of the index.
    func aspects(in text: [UInt8]) -> [String] {
        var found = [Bool](repeating: false, count: aspects.count)
        for single in singleBytes where !found[single.aspect] && text.contains(single.byte) {
            found[single.aspect] = true
        }
        if text.count >= 2 {
            text.withUnsafeBufferPointer { text in
                for start in 0..<(text.count - 1) {
                    let pair = Self.pair(text, start)
                    let first = Int(pairStart[pair])
                    let end = Int(pairStart[pair + 1])
                    guard first < end else { continue }
                    for slot in first..<end {
                        let keyword = keywords[Int(byPair[slot])]
                        if !found[keyword.aspect] && Self.text(text, at: start, startsWith: keyword.bytes) {
                            found[keyword.aspect] = true
                        }
                    }
                }
            }
        }
        return aspects.indices.filter { found[$0] }.map { aspects[$0] }
    }

    private static func pair<Bytes: RandomAccessCollection>(_ bytes: Bytes, _ start: Int) -> Int
    where Bytes.Element == UInt8, Bytes.Index == Int {
        Int(bytes[start]) << 8 | Int(bytes[start + 1])
    }

    /// Whether `text` holds `keyword` from `start` on (its first two bytes are known to match).
    private static func text(_ text: UnsafeBufferPointer<UInt8>, at start: Int, startsWith keyword: [UInt8]) -> Bool {
        guard start + keyword.count <= text.count else { return false }
        var offset = 2
        while offset < keyword.count {
            if text[start + offset] != keyword[offset] { return false }
            offset += 1
        }
        return true
    }
}
