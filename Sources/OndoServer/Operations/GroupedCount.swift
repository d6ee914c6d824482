/// A count as every line of `ondo` writes it: with thousands separators (`1,200`). Here, so that sentences built in
/// OndoServer (``RescoreOutcome/summary``) group as the command-line's own output does.
public enum GroupedCount {
    /// `value` with a comma between each group of three digits.
    public static func text(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var result = ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(character)
        }
        return (value < 0 ? "-" : "") + result
    }
}
