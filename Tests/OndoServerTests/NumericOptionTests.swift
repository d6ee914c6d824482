import Foundation
import TestSupport
import Testing

/// Numeric options given a negative or out-of-range number: the command names the option and its range, instead of
/// ArgumentParser reading `-1` as an unknown flag ("Missing value for '--limit <limit>'"), and instead of a value
/// that reads cleanly but crashes the command or is silently used.
@Suite struct NumericOptionTests {
    @Test func outOfRangeNumbersAreRefusedWithTheirRange() async throws {
        let data = try TestFiles.path("numeric-options", suffix: ".tsv")
        try "5\t좋아요 최고예요\n1\t별로예요 실망\n".write(toFile: data, atomically: true, encoding: .utf8)
        let out = try TestFiles.path("numeric-options", suffix: ".model")
        let train = ["sentiment", "train", "--data", data, "--out", out]
        let sweep = ["sentiment", "sweep", "--data", data]
        let cases: [([String], String)] = [
            (["customer", "list", "--limit", "-1"], "--limit must be 0 (no limit) or more (it is -1)"),
            (["customer", "list", "--min-risk", "-0.5"], "--min-risk must be between 0 and 1 (it is -0.5)"),
            (["customer", "list", "--min-risk", "nan"], "--min-risk must be between 0 and 1 (it is nan)"),
            (["generate", "--days", "-1"], "--days must be at least 1"),
            (["generate", "--empty-bodies", "-0.1"], "--empty-bodies must be a share between 0 and 1"),
            (["generate", "--live", "--rate", "-5"], "--rate must be more than 0 and at most 10000 events per second"),
            (["generate", "--seed", "-1"], "The value '-1' is invalid for '--seed <seed>'"),
            (["serve", "--workers", "-1"], "--workers must be between 1 and 64 (it is -1)"),
            (
                ["sentiment", "split", "--data", data, "--hold-out", "-0.5", "--kept-out", out, "--held-out-out", out],
                "--hold-out must be a share between 0 and 1"
            ),
            (train + ["--epochs", "-1"], "epochs must be at least 1"),
            (train + ["--patience", "-1"], "the patience must not be negative"),
            (train + ["--clip-norm", "-1"], "the clipping threshold must not be negative"),
            (train + ["--subsample", "-1"], "--subsample must be at least 1"),
            (train + ["--adapt-repeats", "-1", "--adapt", data], "--adapt-repeats must be at least 1"),
            (train + ["--min-count", "-1"], "--min-count must be at least 1"),
            (train + ["--teacher-weight", "0.5"], "--teacher-weight needs --teacher"),
            (train + ["--teacher", out, "--teacher-weight", "1.5"], "--teacher-weight must be in [0, 1]"),
            (train + ["--teacher", out, "--teacher-weight", "-0.5"], "--teacher-weight must be in [0, 1]"),
            (train + ["--token-unit", "syllable+bigram", "--bigram-limit", "-1"], "--bigram-limit must be 0 or more"),
            (sweep + ["--units", "-5,10"], "--units takes a comma-separated list of positive integers"),
            (sweep + ["--subsample", "-1"], "--subsample must be 0 (all) or more"),
        ]
        // A database that is never reached: every refusal comes before connecting.
        let environment = ["ONDO_DATABASE_URL": "host=/nonexistent-ondo-socket-dir dbname=ondo"]
        for (arguments, expected) in cases {
            let outcome = try await OndoExecutable.run(arguments, environment: environment)
            #expect(outcome.status == 64 || outcome.status == 1, "\(arguments): exit \(outcome.status)")
            #expect(outcome.standardError.contains(expected), "\(arguments): \(outcome.standardError)")
            #expect(!outcome.standardError.contains("Missing value"), "\(arguments): \(outcome.standardError)")
            #expect(!FileManager.default.fileExists(atPath: out), "\(arguments) wrote a model")
        }
    }

    /// An id past bigint's range and a word where an id goes were refused alike, "The value '99999999999999999999' is
    /// invalid for '<id>'", which did not say what was wrong with it. The error says which now (still status 64).
    @Test func anIdThatIsNoBigintSaysWhy() async throws {
        let range =
            "an id is at most 9223372036854775807 and at least -9223372036854775808, the range of PostgreSQL's bigint"
        let cases: [([String], String)] = [
            (["customer", "show", "99999999999999999999"], range),
            (["customer", "show", "--", "-9223372036854775809"], range),
            (["customer", "show", "abc"], "an id is a whole number, such as 1042"),
            (["customer", "show", "1.5"], "an id is a whole number, such as 1042"),
            (["reviews", "retry", "--id", "99999999999999999999"], range),
            (["states", "retry", "--id", "x1"], "an id is a whole number, such as 1042"),
        ]
        let environment = ["ONDO_DATABASE_URL": "host=/nonexistent-ondo-socket-dir dbname=ondo"]
        for (arguments, expected) in cases {
            let outcome = try await OndoExecutable.run(arguments, environment: environment)
            #expect(outcome.status == 64, "\(arguments): exit \(outcome.status)")
            #expect(outcome.standardError.contains(expected), "\(arguments): \(outcome.standardError)")
        }
        let largest = try await OndoExecutable.run(
            ["customer", "show", "9223372036854775807"], environment: environment)
        #expect(!largest.standardError.contains("an id is"), "the largest bigint is an id: \(largest.standardError)")
    }

    /// `ondo serve --workers 65` (or 0, or `--http-port 70000`) was refused only once the command ran: exit status 1,
    /// after it had started — or created — the `--embedded` cluster. Bad input on the command line is a usage error
    /// (README, "Exit status"): exit status 64 with the usage, before anything is done.
    @Test func serveRefusesOutOfRangeFlagsBeforeStartingAnything() async throws {
        let folder = try TestFiles.path("numeric-options-serve-embedded")
        let cases: [([String], String)] = [
            (["--workers", "65"], "--workers must be between 1 and 64 (it is 65)"),
            (["--workers", "0"], "--workers must be between 1 and 64 (it is 0)"),
            (["--http-port", "70000"], "--http-port must be between 0 and 65535 (it is 70000)"),
        ]
        for (flags, expected) in cases {
            let outcome = try await OndoExecutable.run(["serve", "--embedded", "--embedded-dir", folder] + flags)
            #expect(outcome.status == 64, "\(flags): exit \(outcome.status): \(outcome.standardError)")
            #expect(outcome.standardError.hasPrefix("Error: \(expected)"), "\(flags): \(outcome.standardError)")
            #expect(outcome.standardError.contains("Usage: ondo serve "), "\(flags): \(outcome.standardError)")
            #expect(!FileManager.default.fileExists(atPath: folder), "\(flags): the cluster was created first")
        }
    }

    /// `ondo generate` sizes that no shop can have were "ondo generate: invalid generator options: …", exit status 1;
    /// they are bad input on the command line, so a usage error naming the options (README, "Exit status").
    @Test func generateRefusesImpossibleSizesAsUsageErrors() async throws {
        let environment = ["ONDO_DATABASE_URL": "host=/nonexistent-ondo-socket-dir dbname=ondo"]
        let cases: [([String], String)] = [
            (["--orders", "-1"], "--orders must not be negative (it is -1)"),
            (["--customers", "0"], "--orders and --reviews need at least one customer (--customers) and one product"),
            (["--products", "0", "--reviews", "0"], "--orders and --reviews need at least one customer"),
            (["--days", "1000000"], "--days and --now: the period must lie between 1900-01-01 and 10000-01-01 UTC"),
            // The generator walks every customer before the first row, and holds every product: a size far past these
            // ran silently for days (--customers 99999999999999) or until memory ran out.
            (
                ["--customers", "1000000001", "--orders", "0", "--reviews", "0"],
                "--customers must be at most 1,000,000,000 (it is 1000000001)"
            ),
            (["--products", "1000001"], "--products must be at most 1,000,000 (it is 1000001)"),
            (["--reviews", "1000000001"], "--reviews must be at most 1,000,000,000"),
        ]
        for (flags, expected) in cases {
            let outcome = try await OndoExecutable.run(["generate"] + flags, environment: environment)
            #expect(outcome.status == 64, "\(flags): exit \(outcome.status): \(outcome.standardError)")
            #expect(outcome.standardError.hasPrefix("Error: \(expected)"), "\(flags): \(outcome.standardError)")
            #expect(outcome.standardError.contains("Usage: ondo generate "), "\(flags): \(outcome.standardError)")
        }
    }

    /// Training options out of range (`--patience -1`, `--units 0`, …) were found only once the data had been read:
    /// "invalid model configuration: …", exit status 1. They are usage errors now, refused before anything is read.
    @Test func trainRefusesOutOfRangeTrainingOptionsBeforeReadingTheData() async throws {
        let data = try TestFiles.path("numeric-options-train", suffix: ".tsv")
        try "5\t좋아요 최고예요\n1\t별로예요 실망\n".write(toFile: data, atomically: true, encoding: .utf8)
        let out = try TestFiles.path("numeric-options-train", suffix: ".model")
        let cases: [([String], String)] = [
            (["--patience", "-1"], "the patience must not be negative"),
            (["--learning-rate", "-1"], "the learning rate must be positive"),
            (["--dropout", "1.5"], "dropout rates must be in [0, 1)"),
            (["--units", "0"], "the LSTM units must be at least 1 (got 0)"),
            (["--embedding", "0"], "the embedding size must be at least 1 (got 0)"),
            (["--layers", "0"], "the LSTM layers must be at least 1 (got 0)"),
            (["--pool", "-1", "--units", "0"], "the pool size must be at least 1 (got -1)"),
        ]
        for (flags, expected) in cases {
            let outcome = try await OndoExecutable.run(["sentiment", "train", "--data", data, "--out", out] + flags)
            #expect(outcome.status == 64, "\(flags): exit \(outcome.status): \(outcome.standardError)")
            #expect(outcome.standardError.hasPrefix("Error: \(expected)"), "\(flags): \(outcome.standardError)")
            #expect(!outcome.standardError.contains("read as"), "\(flags): read the data first")
        }
        // A fine-tuned model keeps its base's shape: a shape option is refused as such, a bad one included (it was
        // refused for its size, as if a good one would do). The database is never reached.
        let fineTuned = try await OndoExecutable.run(
            ["sentiment", "train", "--from-database", "--out", out, "--embedding", "0"],
            environment: ["ONDO_DATABASE_URL": "host=/nonexistent-ondo-socket-dir dbname=ondo"])
        #expect(fineTuned.status == 64, "exit \(fineTuned.status): \(fineTuned.standardError)")
        #expect(
            fineTuned.standardError.hasPrefix(
                "Error: a fine-tuned model keeps its --base model's network shape and tokenizer, so --embedding cannot "
                    + "be given; use --base none to train a new model"), "\(fineTuned.standardError)")
        // `sweep` shares the shape options.
        let sweep = try await OndoExecutable.run(["sentiment", "sweep", "--data", data, "--kernel", "0"])
        #expect(sweep.status == 64, "exit \(sweep.status): \(sweep.standardError)")
        #expect(
            sweep.standardError.hasPrefix("Error: the kernel size must be at least 1 (got 0)"), "\(sweep.standardError)"
        )
    }

    /// A negative id as an argument: ArgumentParser reads `-5` as an option and said only "Missing expected argument
    /// '<id>'"; the command now also says how to give it (after `--`). Given so, or as the value of `--id`, it reaches
    /// the database (a shop may have written negative ids), which is not reachable here.
    @Test func aNegativeIdArgumentIsExplainedAndAcceptedAfterTheOptions() async throws {
        let environment = ["ONDO_DATABASE_URL": "host=/nonexistent-ondo-socket-dir dbname=ondo"]
        let refused = try await OndoExecutable.run(
            ["customer", "show", "-5", "--format", "json"], environment: environment)
        #expect(refused.status == 64)
        #expect(
            refused.standardError.contains(
                "ondo: -5 reads as an option: put a negative number after --, which ends the options "
                    + "(ondo customer show --format json -- -5)"), "\(refused.standardError)")
        let unrelated = try await OndoExecutable.run(["customer", "show", "--bogus"], environment: environment)
        #expect(!unrelated.standardError.contains("reads as an option"), "\(unrelated.standardError)")
        for arguments in [
            ["customer", "show", "--", "-5"], ["reviews", "retry", "--id", "-5"], ["states", "retry", "--id", "-5"],
        ] {
            let outcome = try await OndoExecutable.run(arguments, environment: environment)
            #expect(outcome.status == 1, "\(arguments): exit \(outcome.status): \(outcome.standardError)")
            #expect(!outcome.standardError.contains("Unknown option"), "\(arguments): \(outcome.standardError)")
        }
    }
}
