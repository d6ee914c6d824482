/// The token strings a model knows, and their ids (rows of the embedding table).
///
/// Id 0 means "nothing" (an absent bigram at a review's end) and id 1 an unknown token; real
/// tokens start at 2, most frequent first.
public struct Vocabulary: Sendable, Equatable {
    /// Id of "nothing": contributes no embedding.
    public static let nothing: Int32 = 0
    /// Id of a token not in the vocabulary.
    public static let unknown: Int32 = 1
    /// Names of the two reserved ids, as stored in model files.
    static let reserved = ["<nothing>", "<unknown>"]

    /// Token string of each id (ids 0 and 1 are the reserved names).
    public let tokens: [String]
    private let ids: [String: Int32]

    /// A vocabulary of the given real tokens (ids from 2 on, in this order), as read from a model
    /// file: a token listed twice makes the file corrupt.
    init(realTokens: [String]) throws(SentimentModelError) {
        var ids: [String: Int32] = [:]
        ids.reserveCapacity(realTokens.count)
        for (index, token) in realTokens.enumerated() {
            guard ids.updateValue(Int32(index + Self.reserved.count), forKey: token) == nil else {
                throw .corrupt("the vocabulary lists the token \"\(token)\" twice")
            }
        }
        self.init(tokens: Self.reserved + realTokens, ids: ids)
    }

    private init(tokens: [String], ids: [String: Int32]) {
        self.tokens = tokens
        self.ids = ids
    }

    /// The tokens seen at least `minimumCount` times, most frequent first (ties in string order),
    /// at most `maximumSize` of them.
    static func build(counts: [String: Int], minimumCount: Int, maximumSize: Int? = nil) -> Vocabulary {
        var kept = counts.filter { $0.value >= minimumCount }.sorted {
            $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key
        }
        if let maximumSize, kept.count > maximumSize { kept.removeLast(kept.count - maximumSize) }
        return build(ordered: kept.map(\.key))
    }

    /// A vocabulary of distinct real tokens in the given order.
    static func build(ordered tokens: [String]) -> Vocabulary {
        var ids: [String: Int32] = [:]
        ids.reserveCapacity(tokens.count)
        for (index, token) in tokens.enumerated() { ids[token] = Int32(index + reserved.count) }
        return Vocabulary(tokens: reserved + tokens, ids: ids)
    }

    /// Number of ids, reserved ones included (the embedding table's row count).
    public var count: Int { tokens.count }

    /// The id of `token`, or nil when it is not in the vocabulary.
    @inline(__always)
    public func id(_ token: String) -> Int32? { ids[token] }

    /// The id of `token`, or ``unknown``.
    @inline(__always)
    func idOrUnknown(_ token: String) -> Int32 { ids[token] ?? Self.unknown }

    /// Equal when they list the same tokens in the same order.
    public static func == (lhs: Vocabulary, rhs: Vocabulary) -> Bool { lhs.tokens == rhs.tokens }
}

extension Vocabulary {
    /// This vocabulary followed by `more` tokens (those it already has are skipped).
    func appending(_ more: some Sequence<String>) -> Vocabulary {
        var tokens = Array(self.tokens.dropFirst(Self.reserved.count))
        var seen = Set(tokens)
        for token in more where seen.insert(token).inserted { tokens.append(token) }
        return Vocabulary.build(ordered: tokens)
    }
}
