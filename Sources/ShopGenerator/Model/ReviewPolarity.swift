/// The sentiment a generated review was written to express.
public enum ReviewPolarity: String, Sendable, CaseIterable, Codable {
    /// A satisfied customer: praise, perhaps with a small complaint.
    case positive
    /// A dissatisfied customer: a complaint, perhaps a mild one.
    case negative
}
