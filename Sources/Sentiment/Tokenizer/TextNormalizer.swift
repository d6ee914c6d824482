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
        for character in text.precomposedStringWithCanonicalMapping {
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

    /// One character's canonical form: " " for any whitespace, nil for characters to drop.
    static func fold(_ character: Character) -> Character? {
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
