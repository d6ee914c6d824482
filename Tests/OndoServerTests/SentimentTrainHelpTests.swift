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
}
