/// Why generated data could not be written: one sentence for the user.
public struct ShopWriteError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The sentence.
    public var description: String

    /// An error with its sentence.
    public init(_ description: String) {
        self.description = description
    }
}
