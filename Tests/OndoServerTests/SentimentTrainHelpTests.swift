import Foundation
import TestSupport
import Testing

/// `ondo sentiment train --help` names only options the command has.
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
}
