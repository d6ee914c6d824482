import Foundation
import TestSupport
import Testing

/// `ondo reviews retry --help` and `ondo states retry --help` said neither that one of --discarded and --id is
/// needed, nor what the command prints, nor its exit status when a given id was not discarded, nor where the
/// discarded rows are seen. What they state now is checked against what the commands do.
@Suite struct RetryHelpTests {
    private static let commands: [(arguments: [String], plural: String, view: String)] = [
        (["reviews", "retry"], "reviews", "report.discarded_reviews"),
        (["states", "retry"], "customer recomputes", "report.discarded_customer_work"),
    ]

    /// The help's text with every run of whitespace made one space: the wrapping depends on the terminal's width.
    private func help(_ arguments: [String]) async throws -> String {
        let help = try await OndoExecutable.run(arguments + ["--help"])
        #expect(help.status == 0, "\(arguments): \(help.standardError)")
        return help.standardOutput.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// The number the help gives after `phrase`, e.g. "a usage error (exit status 64)".
    private func stated(_ pattern: Regex<(Substring, Substring)>, in help: String, _ arguments: [String]) -> Int32? {
        let number = help.firstMatch(of: pattern).flatMap { Int32($0.output.1) }
        #expect(number != nil, "\(arguments) --help states no exit status for \(pattern)")
        return number
    }

    @Test func theStatedExitStatusesOutputAndViewsAreTheCommandsOwn() async throws {
        let db = try await TestPostgres.shared.database("RetryHelp")
        for (arguments, plural, view) in Self.commands {
            let help = try await help(arguments)
            #expect(help.contains(/Give --discarded \([^)]*\) or one or more --id/), "\(arguments)")
            #expect(help.contains("ondo reviews status"), "\(arguments)")
            #expect(help.contains(view), "\(arguments)")

            let usage = stated(/usage error \(exit status (\d+)\)/, in: help, arguments)
            for wrong in [["--discarded", "--id", "1"], []] {
                let refused = try await OndoExecutable.run(arguments + wrong)
                #expect(refused.status == usage, "\(arguments + wrong): \(refused.standardError)")
            }

            // An id that was never discarded: named on standard error, with the status the help states.
            let notDiscarded = stated(/not discarded[^.]*exit status is (\d+)/, in: help, arguments)
            let outcome = try await OndoExecutable.run(
                arguments + ["--id", "987654321"], environment: db.environment(as: .app))
            #expect(outcome.status == notDiscarded, "\(arguments): \(outcome.standardError)")
            #expect(outcome.standardError.contains("987654321"), "\(arguments): \(outcome.standardError)")
            let printed = "re-queued 0 discarded \(plural)"
            #expect(outcome.standardOutput == printed + "\n", "\(arguments)")
            #expect(help.contains("re-queued N discarded \(plural)"), "\(arguments)")

            let exists = try await db.withConnection(as: .report) {
                try $0.queryValue(Bool.self, "SELECT to_regclass(\(view)) IS NOT NULL")
            }
            #expect(exists, "\(view) is a view a report login can read")
        }
    }
}
