/// Why generated data could not be written: one sentence for the user.
public struct ShopWriteError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The sentence.
    public var description: String
    /// True when the shop already had rows with the ids to be written — found before writing, or written by
    /// another writer (a second `ondo generate` or `ondo demo`) while this one wrote; nothing was written.
    public var isIdCollision: Bool

    /// An error with its sentence.
    public init(_ description: String, isIdCollision: Bool = false) {
        self.description = description
        self.isIdCollision = isIdCollision
    }
}
