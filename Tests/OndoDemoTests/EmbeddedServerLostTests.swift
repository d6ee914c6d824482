import Foundation
import TestSupport
import Testing

/// The embedded cluster's server going down under a command (a full disk makes it PANIC): the client sees only a
/// lost connection, and the reason is in the server's log.
@Suite struct EmbeddedServerLostTests {
    /// `ondo generate --live --embedded` ended with "server closed the connection unexpectedly" and nothing more
    /// (from a demo on a full disk: the log said "PANIC: could not write to file "pg_wal/xlogtemp.924": No space
    /// left on device"); it now names the log.
    @Test func aLostEmbeddedServerNamesItsLog() async throws {
        let folder = try DemoFolder("server-lost")
        defer { folder.remove() }
        let generate = try OndoProcess.start(
            ["generate", "--embedded", "--embedded-dir", folder.dataDirectory]
                + [
                    "--customers", "50", "--products", "5", "--orders", "100", "--reviews", "30", "--live", "--rate",
                    "20",
                ],
            directory: folder.path)
        for _ in 0..<600 where !generate.output().standardError.contains("ondo generate: live traffic at") {
            try await Task.sleep(for: .milliseconds(100))
        }
        let postmaster = try #require(folder.postmasterPID, "\(generate.output().standardError)")
        kill(postmaster, SIGQUIT)  // immediate shutdown, as after a PANIC
        let outcome = try await generate.waitForExit(seconds: 60)
        print(
            "ondo generate --live after its embedded server went down: exit \(outcome.status)\n\(outcome.standardError)"
        )
        #expect(outcome.status == 1)
        #expect(
            outcome.standardError.contains(
                "\n\tthe embedded cluster's server log may say why: \(folder.dataDirectory)/embedded-postgres.log"),
            "\(outcome.standardError)")
    }
}
