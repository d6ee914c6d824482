import Foundation

/// Puts review text into one canonical form before tokenising, so that visually equal text gets
/// equal tokens: Unicode NFC (decomposed Hangul becomes syllables), full-width ASCII folded to
/// ASCII, Latin lowercased, control characters dropped, any whitespace run turned into one space
/// (none at the ends), and runs of one repeated character ("ㅋㅋㅋㅋㅋ", "!!!!!") capped at
/// ``maximumRepeat``.
public enum TextNormalizer {
    /// Longest run of one repeated character that is kept.
    public static let maximumRepeat = 3

    /// The normalised characters of `text` (grapheme clusters, so an emoji sequence stays one).
    public static func normalize(_ text: String) -> [Character] {
        var output: [Character] = []
        output.reserveCapacity(text.utf8.count / 2)
        var pendingSpace = false
        var runLength = 0
        for character in isKnownNFC(text) ? text : text.precomposedStringWithCanonicalMapping {
            guard let folded = fold(character) else { continue }
            if folded == " " {
                pendingSpace = !output.isEmpty
                continue
            }
            if pendingSpace {
                output.append(" ")
                pendingSpace = false
                runLength = 0
            }
            if let last = output.last, last == folded {
                runLength += 1
                if runLength > maximumRepeat { continue }
            } else {
                runLength = 1
            }
            output.append(folded)
        }
        return output
    }

    /// Whether `text` is certainly NFC already, so Foundation's normalisation (a copy into UTF-16 and back) can be
    /// skipped: every scalar is below U+0300 (ASCII, Latin-1 and the precomposed Latin letters, none of which
    /// composes with a following scalar below U+0300), a Hangul syllable or a compatibility jamo. A conjoining jamo or
    /// a combining mark sends the text through the normalisation.
    static func isKnownNFC(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { scalar in
            switch scalar.value {
            case 0x00..<0x300, 0xAC00...0xD7A3, 0x3131...0x318E: return true
            default: return false
            }
        }
    }

    /// One character's canonical form: " " for any whitespace, nil for characters to drop.
    ///
    /// Hangul and ASCII, nearly every character of a Korean review, are decided from the code point alone; looking
    /// up Unicode properties for each of them was about 6 % of `ondo serve`'s CPU. Everything else, and any
    /// character of several scalars, takes ``foldByProperties(_:)``, which the fast paths must agree with.
    static func fold(_ character: Character) -> Character? {
        var scalars = character.unicodeScalars.makeIterator()
        guard let first = scalars.next() else { return nil }
        guard scalars.next() == nil else { return foldByProperties(character) }
        switch first.value {
        case 0x09...0x0D, 0x20: return " "  // ASCII whitespace
        case 0x00...0x1F, 0x7F: return nil  // ASCII control characters
        case 0x41...0x5A: return Character(Unicode.Scalar(UInt8(first.value + 0x20)))  // A–Z
        case 0x21...0x7E: return character
        case 0xAC00...0xD7A3, 0x3131...0x318E: return character  // Hangul syllables, compatibility jamo (ㅋ, ㅠ)
        default: return foldByProperties(character)
        }
    }

    /// ``fold(_:)`` for any character, from its Unicode properties.
    static func foldByProperties(_ character: Character) -> Character? {
        if character.isWhitespace || character.isNewline { return " " }
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return nil }
        if scalars.count == 1 {
            let value = first.value
            switch value {
            case 0x41...0x5A:  // A–Z
                return Character(Unicode.Scalar(UInt8(value + 0x20)))
            case 0xFF01...0xFF5E:  // full-width ASCII
                return fold(Character(Unicode.Scalar(UInt8(value - 0xFEE0))))
            case 0x3000:
                return " "
            default:
                break
            }
            if first.properties.generalCategory == .control || first.properties.generalCategory == .format {
                return nil
            }
            if value < 0x80 { return character }
            if first.properties.isUppercase { return Character(String(character).lowercased()) }
        }
        return character
    }
}
