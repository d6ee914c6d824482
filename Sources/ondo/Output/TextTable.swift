/// A plain-text table whose columns line up in a terminal, Korean (double-width) text included.
struct TextTable {
    var headers: [String]
    var rows: [[String]] = []

    init(_ headers: String...) {
        self.headers = headers
    }

    mutating func add(_ cells: [String]) {
        rows.append(cells)
    }

    /// The table as lines; cells wider than `maximumCellWidth` are cut with an ellipsis.
    func render(maximumCellWidth: Int = 60) -> String {
        let cut = rows.map { $0.map { Self.truncate($0, to: maximumCellWidth) } }
        var widths = headers.map(Self.displayWidth)
        for row in cut {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], Self.displayWidth(cell))
            }
        }
        // A line ends at its last text: empty cells at the end leave no padding behind.
        func line(_ cells: [String]) -> String {
            var text = cells.enumerated().map { index, cell in
                index == cells.count - 1
                    ? cell : cell + String(repeating: " ", count: widths[index] - Self.displayWidth(cell))
            }.joined(separator: "  ")
            while text.last == " " { text.removeLast() }
            return text
        }
        return ([line(headers), line(widths.map { String(repeating: "-", count: $0) })] + cut.map(line))
            .joined(separator: "\n")
    }

    /// Columns a terminal uses for `text`: 2 for Hangul, CJK and most emoji, 0 for combining marks.
    static func displayWidth(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { $0 + width(of: $1) }
    }

    private static func width(of scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        // Printable ASCII is one column: no Unicode property look-up (they dominated `customer list --limit 0`).
        if (0x20...0x7E).contains(value) { return 1 }
        if (0xAC00...0xD7A3).contains(value) { return 2 }  // Hangul syllables: no marks or ignorables among them
        if scalar.properties.generalCategory == .nonspacingMark || scalar.properties.generalCategory == .enclosingMark
            || scalar.properties.isDefaultIgnorableCodePoint
        {
            return 0
        }
        // Emoji drawn as pictures by default (Emoji_Presentation) are two columns in a terminal, wherever their
        // block: the ranges below left out 🚀 (U+1F680…), ☕ and ⭐ (symbols), 🫶 (U+1FA70…).
        if wideRanges.contains(where: { $0.contains(value) }) || scalar.properties.isEmojiPresentation { return 2 }
        return 1
    }

    /// Scalars two columns wide, besides the Emoji_Presentation ones: Hangul, CJK and the main emoji blocks.
    private static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
        0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F,
        0x1F900...0x1F9FF, 0x20000...0x3FFFD,
    ]

    /// `text` on one line without control characters, cut to `limit` columns.
    static func truncate(_ text: String, to limit: Int) -> String {
        let flat = TerminalText.inert(text)
        guard displayWidth(flat) > limit else { return flat }
        var result = ""
        var used = 0
        for character in flat {
            let w = displayWidth(String(character))
            if used + w > limit - 1 { break }
            result.append(character)
            used += w
        }
        return result + "…"
    }
}
