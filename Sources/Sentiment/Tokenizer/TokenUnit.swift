/// What one token of the network's input is.
public enum TokenUnit: String, Codable, Sendable, CaseIterable {
    /// One character per token: a Hangul syllable, a jamo (ㅋ, ㅠ), a digit, a letter, an emoji, a
    /// punctuation mark; "▁" marks a word boundary.
    case syllable
    /// Syllable tokens, each position also carrying the id of the syllable pair it starts, when
    /// that pair is frequent enough to be in the vocabulary (the two embeddings are summed).
    case syllableBigram = "syllable+bigram"

    /// Token ids per input position.
    var idsPerPosition: Int { self == .syllableBigram ? 2 : 1 }
}
