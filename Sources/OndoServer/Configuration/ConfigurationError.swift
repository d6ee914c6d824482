/// A configuration problem, as a sentence that says what is wrong and where.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    /// An opaque category of failure.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private let name: String

        private init(_ name: String) {
            self.name = name
        }

        /// The configuration file is missing, unreadable or not valid JSON of the expected shape.
        public static let invalidFile = Code("invalidFile")
        /// An environment variable has an unusable value.
        public static let invalidEnvironment = Code("invalidEnvironment")
        /// A value is out of range or contradicts another.
        public static let invalidValue = Code("invalidValue")
        /// A required setting (such as the database URL) is missing.
        public static let missing = Code("missing")

        /// The code's name.
        public var description: String { name }
    }

    /// What kind of problem.
    public var code: Code
    /// The sentence for the operator; never contains a password.
    public var message: String

    /// Creates an error.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
