/// Text from the database made safe to print in a terminal row.
enum TerminalText {
    /// `text` on one line with no control characters: line breaks (LF, CRLF, CR) and tabs become a space, and
    /// every other control character (escape, bell, backspace, DEL, the C1 range) becomes U+FFFD. Names and
    /// reviews are written by shop customers; printed raw, an escape sequence in one could clear or rewrite the
    /// operator's screen, and a carriage return would break the table's alignment.
    static func inert(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        var previous: Unicode.Scalar? = nil
        for scalar in text.unicodeScalars {
            defer { previous = scalar }
            switch scalar {
            case " "..."~":
                result.append(scalar)  // printable ASCII, without a Unicode property look-up
            case "\n" where previous == "\r":
                continue
            case "\n", "\r", "\t":
                result.append(" ")
            case _ where scalar.properties.generalCategory == .control:
                result.append("\u{FFFD}")
            default:
                result.append(scalar)
            }
        }
        return String(result)
    }
}
