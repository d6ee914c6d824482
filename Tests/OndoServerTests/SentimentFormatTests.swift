import Foundation
import TestSupport
import Testing

/// The `--format` values each `ondo sentiment` command offers are the ones it prints, and no others.
@Suite struct SentimentFormatTests {
    /// The `--format` line of a command's help.
    private func formatHelp(_ command: String) async throws -> String {
        let help = try await OndoExecutable.run(["sentiment", command, "--help"])
        #expect(help.status == 0, "\(help.standardError)")
        let lines = help.standardOutput.split(separator: "\n", omittingEmptySubsequences: false)
        func trimmed(_ line: Substring) -> String { line.trimmingCharacters(in: .whitespaces) }
        guard let start = lines.firstIndex(where: { trimmed($0).hasPrefix("--format <format>") }) else {
            Issue.record("no --format in `ondo sentiment \(command) --help`: \(help.standardOutput)")
            return ""
        }
        // The description may wrap onto the following indented lines, up to the next option.
        let rest = lines[(start + 1)...].prefix { !trimmed($0).hasPrefix("-") && !$0.isEmpty }
        return ([lines[start]] + rest).joined(separator: " ")
    }

    @Test func tableAndJSONCommandsOfferNoTSV() async throws {
        for command in ["eval", "info", "sweep"] {
            let help = try await formatHelp(command)
            #expect(help.contains("json"), "\(command): \(help)")
            #expect(!help.contains("tsv"), "\(command) does not print tsv: \(help)")
        }
        #expect(try await formatHelp("predict").contains("tsv"), "predict still prints tsv")
    }

    @Test func tsvIsRefusedNamingTheAllowedValues() async throws {
        let arguments: [[String]] = [
            ["sentiment", "eval", "--data", "/nonexistent.tsv", "--format", "tsv"],
            ["sentiment", "info", "--format", "tsv"],
            ["sentiment", "sweep", "--data", "/nonexistent.tsv", "--format", "tsv"],
        ]
        for command in arguments {
            let outcome = try await OndoExecutable.run(command)
            #expect(outcome.status != 0, "\(command) must refuse tsv")
            #expect(outcome.standardOutput.isEmpty, "\(command) printed \(outcome.standardOutput)")
            #expect(outcome.standardError.contains("'table'"), "\(command): \(outcome.standardError)")
            #expect(outcome.standardError.contains("'json'"), "\(command): \(outcome.standardError)")
        }
    }
}
