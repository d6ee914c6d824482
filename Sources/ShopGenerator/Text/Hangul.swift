/// Arithmetic on precomposed Hangul syllables (U+AC00–U+D7A3): enough to conjugate predicates and to
/// choose particles (이/가, 은/는) for generated review text.
enum Hangul {
    /// Final consonants (jongseong) by their index in a syllable's code point.
    enum Final: UInt32 {
        case none = 0
        case nieun = 4  // ㄴ
        case rieul = 8  // ㄹ
        case rieulMieum = 10  // ㄻ
        case mieum = 16  // ㅁ
        case bieup = 17  // ㅂ
        case ssangsiot = 20  // ㅆ
    }

    private static let first: UInt32 = 0xAC00
    private static let last: UInt32 = 0xD7A3

    /// The syllable's final-consonant index (0 for none), or nil when `scalar` is not a Hangul syllable.
    static func finalIndex(_ scalar: Unicode.Scalar) -> UInt32? {
        guard (first...last).contains(scalar.value) else { return nil }
        return (scalar.value - first) % 28
    }

    /// The syllable's vowel (jungseong) index, or nil when `scalar` is not a Hangul syllable.
    static func vowelIndex(_ scalar: Unicode.Scalar) -> UInt32? {
        guard (first...last).contains(scalar.value) else { return nil }
        return (scalar.value - first) % (21 * 28) / 28
    }

    /// Whether the last character of `word` is a syllable with a final consonant.
    static func endsInConsonant(_ word: String) -> Bool {
        guard let scalar = word.unicodeScalars.last, let index = finalIndex(scalar) else { return false }
        return index != 0
    }

    /// Whether the last syllable of `word` ends in the given final.
    static func ends(_ word: String, in final: Final) -> Bool {
        guard let scalar = word.unicodeScalars.last else { return false }
        return finalIndex(scalar) == final.rawValue
    }

    /// `word` with the final consonant of its last syllable replaced by `final`; unchanged when the last
    /// character is not a Hangul syllable.
    static func replacingFinal(of word: String, with final: Final) -> String {
        guard let scalar = word.unicodeScalars.last, let index = finalIndex(scalar),
            let replaced = Unicode.Scalar(scalar.value - index + final.rawValue)
        else { return word }
        var scalars = word.unicodeScalars
        scalars.removeLast()
        scalars.append(replaced)
        return String(scalars)
    }

    /// `noun` followed by the particle form that fits its last syllable (`이`/`가`, `은`/`는`, …).
    static func particle(_ noun: String, afterConsonant: String, afterVowel: String) -> String {
        noun + (endsInConsonant(noun) ? afterConsonant : afterVowel)
    }
}
