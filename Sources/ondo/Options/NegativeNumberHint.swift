/// ArgumentParser reads an argument such as `-5` as an option (it has no notion of negative numbers), so
/// `ondo customer show -5` failed with "Missing expected argument '<id>'" (or "Unknown option '-5'") and no word on
/// what to do. When parsing failed so, this says how to give it: after `--`, which ends the options
/// (`ondo customer show -- -5`). Options that take numbers (`--id -5`, `--limit -1`) read their value whatever it looks
/// like and need no hint.
enum NegativeNumberHint {
    /// The hint for the parse error `message` when `arguments` hold a negative number before any `--` and the error is
    /// about it (named, or an argument missing), else nil.
    static func hint(forParseError message: String, arguments: [String]) -> String? {
        let options = arguments.prefix { $0 != "--" }
        guard let number = options.first(where: isNegativeInteger),
            message.contains("'\(number)'") || message.contains("Missing expected argument")
        else { return nil }
        var example = options.filter { $0 != number }
        example += ["--", number] + arguments.dropFirst(options.count + 1)
        return "\(number) reads as an option: put a negative number after --, which ends the options "
            + "(ondo \(example.joined(separator: " ")))"
    }

    /// `-` and decimal digits only, such as `-5`.
    private static func isNegativeInteger(_ argument: String) -> Bool {
        argument.count > 1 && argument.first == "-"
            && argument.dropFirst().allSatisfy { $0.isASCII && $0.isNumber }
    }
}
