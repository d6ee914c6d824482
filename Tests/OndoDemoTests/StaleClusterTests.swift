import EmbeddedPostgres
import Foundation
import OndoServer
import TestSupport
import Testing

/// A cluster left running with no ondo process using it: its starter and the starter's watchdog were both killed
/// (`kill -9` of the whole process group), or someone started it by hand.
@Suite struct StaleClusterTests {
    /// The next command said "using the PostgreSQL cluster that another ondo process runs", though none did, and
    /// then stopped it as the last one out; it now says the cluster was left running and that it stops it.
    @Test func aCommandOnAClusterNobodyUsesSaysSoAndStopsIt() async throws {
        let folder = try DemoFolder("stale-cluster")
        defer { folder.remove() }
        // Started without a users lock or a watchdog, as a killed run leaves it.
        let server = try await BlockingWork.run {
            try EmbeddedPostgres.start(dataDirectory: folder.dataDirectory, logger: TestPostgres.logger)
        }
        defer { try? server.stop() }
        let postmaster = try #require(folder.postmasterPID)

        let list = try await OndoExecutable.run(
            ["customer", "list", "--embedded", "--embedded-dir", folder.dataDirectory], directory: folder.path)
        print("ondo customer list on a cluster nobody uses: exit \(list.status)\n\(list.standardError)")
        #expect(list.status == 0, "stderr: \(list.standardError)")
        #expect(!list.standardError.contains("another ondo process runs"), "\(list.standardError)")
        #expect(list.standardError.contains("which no ondo process uses"), "\(list.standardError)")
        #expect(try await folder.serverGone(postmaster, within: 10), "the command left the cluster running")
    }
}
