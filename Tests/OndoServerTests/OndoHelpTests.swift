import Foundation
import TestSupport
import Testing

/// `ondo --help`, the first thing a new user reads, promises only what the commands do.
@Suite struct OndoHelpTests {
    /// Promotion campaigns are not built (the README's status says so) and no subcommand runs one, so the overview
    /// does not offer them. It said "review sentiment, customer state and promotions".
    @Test func theOverviewOffersNoPromotionsWhileNoCommandRunsThem() async throws {
        let help = try await OndoExecutable.run(["--help"])
        #expect(help.status == 0)
        let overview = help.standardOutput.components(separatedBy: "USAGE:")[0].split(whereSeparator: \.isWhitespace)
            .joined(separator: " ")
        let subcommands = help.standardOutput.components(separatedBy: "SUBCOMMANDS:").last ?? ""
        #expect(overview.contains("review sentiment and customer states"))
        #expect(!subcommands.contains("campaign") && !subcommands.contains("promotion"))
        #expect(!overview.contains("and promotions"))
    }
}
