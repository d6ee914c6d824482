/// A whole number from an `ONDO_…` variable, refused in the variable's own name: an operator who set
/// `ONDO_DATABASE_MAX_CONNECTIONS=0` looks for that variable, not for `database.maxConnections` in a file they may
/// not have.
enum EnvironmentNumber {
    /// The value of `name` (nil when unset or empty, as for every `ONDO_` variable), or an error naming `name`
    /// when it is not a whole number in `range`.
    static func wholeNumber(
        _ name: String, in environment: [String: String], range: ClosedRange<Int> = Int.min...Int.max
    ) throws -> Int? {
        guard let text = environment[name], !text.isEmpty else { return nil }
        guard let value = Int(text) else {
            throw ConfigurationError(code: .invalidEnvironment, message: "\(name) must be a whole number")
        }
        guard range.contains(value) else {
            throw ConfigurationError(
                code: .invalidEnvironment, message: "\(name) must be \(Self.describe(range)) (it is \(value))")
        }
        return value
    }

    private static func describe(_ range: ClosedRange<Int>) -> String {
        range.upperBound == Int.max
            ? "at least \(range.lowerBound)" : "between \(range.lowerBound) and \(range.upperBound)"
    }
}
