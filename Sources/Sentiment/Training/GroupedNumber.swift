/// A count as `ondo` writes it for people: `2,434,529`. Here, in the lowest module that prints counts (the training
/// transcript, the evaluation table), so that the layers above group with the same code (`NumberText.grouped` in the
/// command line, ``RescoreOutcome``'s summary in OndoServer); JSON keeps plain numbers.
public enum GroupedNumber {
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

    /// A rate rounded to a whole number, grouped.
    public static func text(_ value: Double) -> String {
        text(Int(value.rounded()))
    }
}
