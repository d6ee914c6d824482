/// The lines of a labelled data file: split at "\n", a "\r" before it dropped (CRLF files). Not at every Unicode line
/// break, as `split(whereSeparator: \.isNewline)` does: a form feed, NEL, U+2028, U+2029 or a lone CR may sit inside a
/// review's text (a shop's review bodies hold what customers typed), and cutting there used the review's beginning
/// as the whole review and counted its end as a malformed line.
enum DataFileLines {
    /// Every line, empty ones included (line numbers count them); a final "\n" leaves an empty last line.
    static func split(_ content: String) -> [Substring] {
        let utf8 = content.utf8
        var lines: [Substring] = []
        var start = utf8.startIndex
        while true {
            let newline = utf8[start...].firstIndex(of: UInt8(ascii: "\n")) ?? utf8.endIndex
            var end = newline
            if end > start, utf8[utf8.index(before: end)] == UInt8(ascii: "\r") { end = utf8.index(before: end) }
            lines.append(Substring(utf8[start..<end]))
            guard newline < utf8.endIndex else { return lines }
            start = utf8.index(after: newline)
        }
    }
}
