import Foundation
import Postgres
import TestSupport
import Testing

extension PipelineTests {
    /// `ondo serve` as an operator sees it around a database that is not there: signals while it waits for the
    /// database at start, and `/metrics` while the database is down.
    @Suite struct ServeLifecycle {
        /// SIGTERM while the server still waits for its database (it waits about a minute at start) is a clean
        /// stop: exit status 0, not death by the signal (which an orchestrator reports as a failure, status 143).
        @Test(arguments: [SIGTERM, SIGINT])
        func aSignalWhileWaitingForTheDatabaseAtStartExitsZero(_ signal: Int32) async throws {
            let nowhere = NSTemporaryDirectory() + "ondo-no-database-\(UUID().uuidString)"
            let server = try OndoProcess.start(
                ["serve", "--http-port", "0", "--log-level", "info"],
                environment: [
                    "ONDO_DATABASE_URL": "postgresql://ondo@/ondo?host=\(nowhere)&port=5999",
                    "ONDO_SENTIMENT_MODEL": PipelineHarness.modelPath,
                ])
            let deadline = Date().addingTimeInterval(30)
            while !server.output().standardError.contains("database not reachable yet"), server.isRunning,
                Date() < deadline
            {
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(server.output().standardError.contains("database not reachable yet"))
            server.signal(signal)
            let outcome = try await server.waitForExit(seconds: 30)
            print("signal \(signal) while waiting for the database: exit \(outcome.status)")
            #expect(outcome.status == 0, "\(outcome.standardError)")
            #expect(!outcome.standardOutput.contains("listening on port"), "it never started serving")
        }
    }
}
