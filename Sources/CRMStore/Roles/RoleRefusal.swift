/// Why a roles job (adding a login, hardening) refused to act: a login name it does not accept, or a database or
/// connection it may not change. Nothing was changed; the message says what is wrong and what to do.
public struct RoleRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    /// The sentence for the operator.
    public var message: String

    /// Creates a refusal with its sentence.
    public init(_ message: String) {
        self.message = message
    }

    /// The message, without a category prefix: the refusal is Ondo's, not PostgreSQL's.
    public var description: String { message }
}
