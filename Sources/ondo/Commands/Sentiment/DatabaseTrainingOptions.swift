import ArgumentParser
import Foundation

/// `ondo sentiment train --from-database`: which of the shop's rated reviews to learn from, which model to start
/// from, and how the result is judged. Optional values, so that giving them without --from-database is caught.
struct DatabaseTrainingOptions: ParsableArguments {
    /// Rated reviews read at most when --limit is not given: enough to adapt a model, few enough to train in minutes.
    static let defaultLimit = 100_000
    /// The held-out share when --hold-out is not given.
    static let defaultHoldOut = 0.2
    /// The --base value that means "no base model".
    static let noBase = "none"

    @Flag(help: "Train on the shop's rated reviews (1–2 stars negative, 4–5 positive) instead of --data files.")
    var fromDatabase = false

    @Option(help: "Only reviews written at or after this date (YYYY-MM-DD or ISO 8601).")
    var since: String?

    @Option(
        parsing: .unconditional, help: "Use at most this many reviews, the newest (highest id) first (default: 100000)."
    )
    var limit: Int?

    @Option(
        help: ArgumentHelp(
            "Model to fine-tune; 'none' trains a new model (default: $ONDO_SENTIMENT_MODEL, else the shipped "
                + "model; the configuration file's modelPath is not read).", valueName: "MODEL"))
    var base: String?

    @Option(
        parsing: .unconditional,
        help: "Share of the reviews held out (seeded), never trained on, to compare the models on (default: 0.2).")
    var holdOut: Double?

    @Flag(help: "Write the new model even when it is less accurate than the base on the held-out reviews.")
    var force = false

    /// True when a base model is fine-tuned rather than a new one trained.
    var usesBase: Bool { base != Self.noBase }

    /// The options given that only --from-database uses, as flags.
    var givenDatabaseOnlyOptions: [String] {
        let given: [(String, Bool)] = [
            ("--since", since != nil), ("--limit", limit != nil), ("--base", base != nil),
            ("--hold-out", holdOut != nil), ("--force", force),
        ]
        return given.filter(\.1).map(\.0)
    }

    func validate() throws {
        if let since, DateArgument.parse(since) == nil {
            throw ValidationError("--since must be \(DateArgument.accepted) (it is \(since))")
        }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        if let holdOut, !(holdOut > 0 && holdOut < 1) {
            throw ValidationError("--hold-out must be a share between 0 and 1, e.g. 0.2")
        }
    }
}
