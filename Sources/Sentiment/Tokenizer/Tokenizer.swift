/// Turns review text into token ids for the network: normalisation (``TextNormalizer``), then the
/// model's ``TokenUnit`` looked up in its ``Vocabulary``.
public struct Tokenizer: Sendable, Equatable {
    /// Word-boundary token.
    public static let boundary = "▁"
    /// Separator inside bigram tokens (a control character, which normalisation never lets through).
    static let bigramSeparator = "\u{1F}"

    /// The token unit.
    public let unit: TokenUnit
    /// Known tokens and their ids.
    public let vocabulary: Vocabulary

    /// A tokenizer with a given unit and vocabulary.
    public init(unit: TokenUnit, vocabulary: Vocabulary) {
        self.unit = unit
        self.vocabulary = vocabulary
    }

    /// Token ids per input position.
    public var idsPerPosition: Int { unit.idsPerPosition }

    /// The unit tokens of `text`, as strings (before vocabulary look-up).
    public func pieces(_ text: String) -> [String] {
        Self.syllables(TextNormalizer.normalize(text))
    }

    /// The most positions of a text the network reads: its first ones. A review the shop can store (at most
    /// 10,000 characters) never reaches it; a longer text given to the CLI is scored on its beginning instead of
    /// taking memory in proportion to its length (one 3 MB line took 4.7 GB and 23 s in `ondo sentiment predict`).
    public static let maximumPositions = 16_384

    /// The ids of `text`: `idsPerPosition` ids per position, at least one position (an empty text is
    /// one unknown token) and at most ``maximumPositions``.
    public func encode(_ text: String) -> [Int32] {
        var pieces = pieces(text)
        if pieces.count > Self.maximumPositions { pieces.removeLast(pieces.count - Self.maximumPositions) }
        guard !pieces.isEmpty else {
            return [Vocabulary.unknown] + [Int32](repeating: Vocabulary.nothing, count: idsPerPosition - 1)
        }
        switch unit {
        case .syllable:
            return pieces.map(vocabulary.idOrUnknown)
        case .syllableBigram:
            var ids: [Int32] = []
            ids.reserveCapacity(2 * pieces.count)
            for (index, piece) in pieces.enumerated() {
                ids.append(vocabulary.idOrUnknown(piece))
                ids.append(
                    index + 1 < pieces.count
                        ? vocabulary.id(Self.bigram(piece, pieces[index + 1])) ?? Vocabulary.nothing
                        : Vocabulary.nothing)
            }
            return ids
        }
    }

    /// Learns a vocabulary from training texts: unit tokens seen at least `minimumCount` times, and
    /// for ``TokenUnit/syllableBigram`` also the `bigramLimit` most frequent pairs seen at least
    /// `bigramMinimumCount` times.
    public static func train(
        unit: TokenUnit, texts: [String], minimumCount: Int = 2, bigramMinimumCount: Int = 5,
        bigramLimit: Int = 20_000
    ) -> Tokenizer {
        var counts: [String: Int] = [:]
        var bigrams: [String: Int] = [:]
        for text in texts {
            let pieces = syllables(TextNormalizer.normalize(text))
            for piece in pieces { counts[piece, default: 0] += 1 }
            if unit == .syllableBigram && pieces.count > 1 {
                for index in 0..<(pieces.count - 1) {
                    bigrams[bigram(pieces[index], pieces[index + 1]), default: 0] += 1
                }
            }
        }
        var vocabulary = Vocabulary.build(counts: counts, minimumCount: minimumCount)
        if unit == .syllableBigram {
            let pairs = Vocabulary.build(counts: bigrams, minimumCount: bigramMinimumCount, maximumSize: bigramLimit)
            vocabulary = vocabulary.appending(pairs.tokens.dropFirst(Vocabulary.reserved.count))
        }
        return Tokenizer(unit: unit, vocabulary: vocabulary)
    }

    static func syllables(_ characters: [Character]) -> [String] {
        characters.map { $0 == " " ? boundary : String($0) }
    }

    static func bigram(_ first: String, _ second: String) -> String { first + bigramSeparator + second }
}
