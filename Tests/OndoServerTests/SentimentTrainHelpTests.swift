import Foundation
import TestSupport
import Testing

/// `ondo sentiment train --help` names only options the command has, and its argument errors read as sentences.
@Suite struct SentimentTrainHelpTests {
    /// Every `--option` the help mentions, in an option's description or the discussion, is one of the options it
    /// lists. It said the base was "the model `--model` would use", and train has no --model.
    @Test func everyOptionTheHelpMentionsIsOneItAccepts() async throws {
        let help = try await OndoExecutable.run(["sentiment", "train", "--help"])
        #expect(help.status == 0, "\(help.standardError)")
        let text = help.standardOutput
        // Options are listed two spaces in ("  --out <out>", "  -h, --help"); wrapped descriptions are indented deeper.
        let listed = Set(
            text.split(separator: "\n").compactMap { line in
                line.firstMatch(of: /^  (?:-[a-zA-Z], )?(--[a-z0-9][a-z0-9-]*)/).map { String($0.output.1) }
            })
        #expect(listed.contains("--base") && listed.contains("--out"), "no option list found: \(text)")
        let mentioned = Set(text.matches(of: /--[a-z][a-z0-9-]*/).map { String($0.output) })
        let unknown = mentioned.subtracting(listed).sorted()
        #expect(unknown.isEmpty, "mentioned but not accepted: \(unknown)")
    }

    /// A database option given without --from-database is refused in grammatical English, for one option or more.
    /// It said "--embedded need --from-database".
    @Test func aDatabaseOptionWithoutFromDatabaseIsRefusedInASentence() async throws {
        let one = try await OndoExecutable.run(["sentiment", "train", "--data", "d.tsv", "--embedded", "--out", "m"])
        #expect(one.status == 64)
        #expect(one.standardError.contains("Error: --embedded needs --from-database"), "\(one.standardError)")
        let two = try await OndoExecutable.run(
            ["sentiment", "train", "--data", "d.tsv", "--embedded", "--limit", "5", "--out", "m"])
        #expect(two.status == 64)
        #expect(two.standardError.contains("--limit, --embedded need --from-database"), "\(two.standardError)")
    }

    /// The options of training from files that --from-database refuses, each with a value.
    private static let fileOnlyOptions: [(option: String, value: String)] = [
        ("--data", "d.tsv"), ("--adapt", "a.tsv"), ("--teacher", "t.model"), ("--subsample", "100"),
        ("--input-format", "rating"),
    ]

    /// The help's sentence on what --from-database cannot be combined with names every option it refuses. It named
    /// --data and --adapt, and the command refused --teacher, --subsample and --input-format too.
    @Test func theHelpNamesEveryFileOptionThatFromDatabaseRefuses() async throws {
        let help = try await OndoExecutable.run(["sentiment", "train", "--help"])
        let text = help.standardOutput.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        let sentence = try #require(
            text.firstMatch(of: /--from-database cannot be combined with ([^.]*)\./).map { String($0.output.1) },
            "no such sentence in: \(text)")
        for (option, value) in Self.fileOnlyOptions {
            let refused = try await OndoExecutable.run(
                ["sentiment", "train", "--from-database", "--out", "m.model", option, value])
            #expect(refused.status == 64, "\(option): \(refused.standardError)")
            #expect(refused.standardError.contains("cannot be combined with \(option)"), "\(refused.standardError)")
            #expect(sentence.contains(option), "the help's sentence leaves out \(option): \(sentence)")
        }
    }

    /// Capping the reviews with --limit or --since is advice for --subsample alone; it was given for --teacher and
    /// --input-format too, which have no counterpart in the database.
    @Test func onlySubsampleIsToldToCapTheReviews() async throws {
        let subsample = try await OndoExecutable.run(
            ["sentiment", "train", "--from-database", "--out", "m.model", "--subsample", "100"])
        #expect(subsample.standardError.contains("(cap the reviews with --limit or --since)"))
        let teacher = try await OndoExecutable.run(
            ["sentiment", "train", "--from-database", "--out", "m.model", "--teacher", "t.model"])
        #expect(teacher.status == 64)
        #expect(!teacher.standardError.contains("cap the reviews"), "\(teacher.standardError)")
    }
}
