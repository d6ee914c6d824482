/// A count as `ondo` writes it for people: `2,434,529`. Sentiment's own copy of the CLI's grouping (the engine must
/// not import the layers above it), for the training transcript and the evaluation table; JSON keeps plain numbers.
enum GroupedNumber {
    /// `value` with a comma between each group of three digits.
    static func text(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var result = ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(character)
        }
        return (value < 0 ? "-" : "") + result
    }

    /// A rate rounded to a whole number, grouped.
    static func text(_ value: Double) -> String {
        text(Int(value.rounded()))
    }
}
