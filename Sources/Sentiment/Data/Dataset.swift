/// Labelled reviews read from a file, with an account of what was not used.
public struct Dataset: Sendable {
    /// The reviews, in file order.
    public var examples: [LabeledText]
    /// The format the file was read as.
    public var format: InputFormat
    /// Lines that did not fit the format (never used).
    public var malformedLines: Int
    /// Line numbers (1-based) of the first few malformed lines, for the error report.
    public var malformedExamples: [Int]
    /// Reviews skipped on purpose: 3-star ratings, which are neither positive nor negative.
    public var neutralSkipped: Int

    /// Positive reviews among ``examples``.
    public var positiveCount: Int { examples.reduce(0) { $0 + ($1.positive ? 1 : 0) } }

    /// One line describing what was read, for the CLI.
    public var summary: String {
        // Counts grouped (`150,000 reviews`); line numbers are places in the file and stay as editors show them.
        let g: (Int) -> String = GroupedNumber.text
        var parts = ["\(g(examples.count)) reviews (\(g(positiveCount)) positive) read as \(format.rawValue)"]
        if neutralSkipped > 0 {
            parts.append("\(g(neutralSkipped)) three-star review\(neutralSkipped == 1 ? "" : "s") skipped")
        }
        if malformedLines > 0 {
            let lines = malformedExamples.map(String.init).joined(separator: ", ")
            let plural = malformedLines == 1 ? "" : "s"
            parts.append(
                "\(g(malformedLines)) malformed line\(plural) ignored (line\(plural) \(lines)"
                    + "\(malformedLines > malformedExamples.count ? ", …" : ""))")
        }
        return parts.joined(separator: "; ")
    }
}
