/// RFC 4180 CSV: fields quoted when they hold a comma, quote or line break.
enum CSVWriter {
    /// One field of a line.
    enum Field {
        /// Text from the data (a customer's name, a reason), which a spreadsheet must not run as a formula.
        case text(String)
        /// What Ondo writes itself (a header, an id, a number it formatted, a state, a time): written as it is,
        /// so that a negative id stays a number.
        case value(String)
    }

    /// What makes a spreadsheet read a cell as a formula when it begins one (OWASP, "CSV Injection").
    static let formulaStarts: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r"]

    static func line(_ fields: [Field]) -> String {
        fields.map { field in
            let content: String
            switch field {
            case .value(let value): content = value
            // A leading apostrophe makes the spreadsheet show the cell as the text it is: a customer named
            // =HYPERLINK(…) would otherwise be a live link in the admin's export.
            case .text(let text):
                content = text.unicodeScalars.first.map(formulaStarts.contains) == true ? "'" + text : text
            }
            // Scalars, not characters: CRLF is one Character, equal to neither "\r" nor "\n".
            guard content.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
            else {
                return content
            }
            return "\"" + content.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }.joined(separator: ",")
    }
}
