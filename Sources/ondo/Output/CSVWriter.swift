/// RFC 4180 CSV: fields quoted when they hold a comma, quote or line break.
enum CSVWriter {
    static func line(_ fields: [String]) -> String {
        fields.map { field in
            // Scalars, not characters: CRLF is one Character, equal to neither "\r" nor "\n".
            guard field.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else {
                return field
            }
            return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }.joined(separator: ",")
    }
}
