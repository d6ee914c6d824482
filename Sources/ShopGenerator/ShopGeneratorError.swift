/// Why a shop cannot be generated from the given options.
public struct ShopGeneratorError: Error, Sendable, Equatable, CustomStringConvertible {
    /// One sentence per problem found in the options.
    public var problems: [String]

    /// Creates the error from the problems found.
    public init(problems: [String]) {
        self.problems = problems
    }

    /// The problems, joined into one message.
    public var description: String { "invalid generator options: " + problems.joined(separator: "; ") }
}
