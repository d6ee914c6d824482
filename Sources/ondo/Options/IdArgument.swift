import ArgumentParser

/// Reads a shop id (a customer's, a review's) from the command line. ArgumentParser's own reading of `Int64` said only
/// "The value '99999999999999999999' is invalid for '<id>'", whether the text was no number or one past bigint's
/// range; this says which.
enum IdArgument {
    /// The id `text` names, or a usage error saying why it names none.
    static func parse(_ text: String) throws -> Int64 {
        if let id = Int64(text) { return id }
        let digits = text.first == "-" || text.first == "+" ? text.dropFirst() : Substring(text)
        if !digits.isEmpty && digits.allSatisfy({ $0.isASCII && $0.isNumber }) {
            throw ValidationError(
                "an id is at most \(Int64.max) and at least \(Int64.min), the range of PostgreSQL's bigint")
        }
        throw ValidationError("an id is a whole number, such as 1042")
    }
}
