import Foundation
import TestSupport
import Testing

/// A failure while an `ondo sentiment` command runs is reported as every other command's is (README, "Exit status"):
/// `ondo sentiment COMMAND: …` and exit status 1. They said "Error: …", the prefix of a usage error (exit status 64,
/// with the usage lines), with exit status 1; only `train --from-database` said "ondo sentiment train: …", and even
/// it not for an `--out` folder that does not exist.
@Suite struct SentimentRunTimeErrorTests {
    @Test func runTimeFailuresNameTheCommand() async throws {
        let folder = try TestFiles.path("sentiment-run-time-errors")
        let missing = "\(folder)/missing.tsv"
        let missingModel = "\(folder)/missing.model"
        let out = "\(folder)/no-such-folder/model.model"
        let cases: [(command: String, arguments: [String], reason: String)] = [
            ("predict", ["--model", missingModel, "좋아요"], "no model file at \(missingModel)"),
            ("eval", ["--data", missing], "cannot read \(missing)"),
            ("info", ["--model", missingModel], "no model file at \(missingModel)"),
            ("train", ["--data", missing, "--out", "\(folder).model"], "cannot read \(missing)"),
            ("train", ["--data", missing, "--out", out], "--out \(out): there is no folder"),
            ("train", ["--from-database", "--out", out], "--out \(out): there is no folder"),
            ("sweep", ["--data", missing], "cannot read \(missing)"),
            (
                "split", ["--data", missing, "--kept-out", "\(folder)-a", "--held-out-out", "\(folder)-b"],
                "cannot read"
            ),
        ]
        for (command, arguments, reason) in cases {
            let outcome = try await OndoExecutable.run(["sentiment", command] + arguments)
            #expect(outcome.status == 1, "\(command) \(arguments): exit \(outcome.status): \(outcome.standardError)")
            #expect(
                outcome.standardError.hasPrefix("ondo sentiment \(command): \(reason)"),
                "\(command) \(arguments): \(outcome.standardError)")
            #expect(!outcome.standardError.contains("Error: "), "\(command) \(arguments): \(outcome.standardError)")
            #expect(!outcome.standardError.contains("Usage: "), "\(command) \(arguments): \(outcome.standardError)")
        }
    }
}
