import EmbeddedPostgres
import Foundation
import TestSupport
import Testing

/// `ondo demo` and `ondo generate` refusing or reporting their options, without running a whole demo.
@Suite struct DemoArgumentTests {
    /// A database address that cannot be reached: the command gets past its options, then fails to connect.
    static let unreachable = "host=/nonexistent/ondo-demo-argument-test dbname=ondo connect_timeout=1"

    @Test(arguments: ["nan", "inf", "1e300"])
    func aDurationThatIsNoNumberOfSecondsIsRefusedNotACrash(_ duration: String) async throws {
        let demo = try await OndoExecutable.run(["demo", "--duration", duration, "--database-url", Self.unreachable])
        #expect(demo.status == 64, "demo --duration \(duration): status \(demo.status), stderr: \(demo.standardError)")
        #expect(demo.standardError.contains("--duration"), "stderr: \(demo.standardError)")
        #expect(!demo.standardError.contains("Fatal error"))

        let generate = try await OndoExecutable.run(
            ["generate", "--live", "--duration", duration, "--database-url", Self.unreachable])
        #expect(
            generate.status == 64,
            "generate --duration \(duration): status \(generate.status), stderr: \(generate.standardError)")
        #expect(generate.standardError.contains("--duration"), "stderr: \(generate.standardError)")
        #expect(!generate.standardError.contains("Fatal error"))
    }
}

extension DemoArgumentTests {
    @Test func theHeadingShowsTheDurationAskedFor() async throws {
        let demo = try await OndoExecutable.run(["demo", "--duration", "2.5", "--database-url", Self.unreachable])
        #expect(demo.status == 1, "stderr: \(demo.standardError)")
        #expect(demo.standardOutput.contains("2.5 s of live traffic"), "stdout: \(demo.standardOutput)")
    }

    @Test func refusedOptionsPrintNoHeadingAndAUsageError() async throws {
        let demo = try await OndoExecutable.run(["demo", "--customers", "5", "--database-url", Self.unreachable])
        #expect(demo.status == 64, "stderr: \(demo.standardError)")
        #expect(demo.standardError.contains("--customers must be between 100 and 1000000"))
        #expect(demo.standardOutput.isEmpty, "a refused demo printed: \(demo.standardOutput)")
    }
}

extension DemoArgumentTests {
    @Test func generateRefusesARateWithoutLiveMode() async throws {
        let generate = try await OndoExecutable.run(["generate", "--rate", "50", "--database-url", Self.unreachable])
        #expect(generate.status == 64, "stderr: \(generate.standardError)")
        #expect(generate.standardError.contains("--rate needs --live"), "stderr: \(generate.standardError)")
    }
}

extension DemoArgumentTests {
    /// Live traffic carries the current time: after a history that ends later, its orders would come before the
    /// sign-ups of the customers they name.
    @Test func generateRefusesLiveTrafficAfterAHistoryThatEndsInTheFuture() async throws {
        let generate = try await OndoExecutable.run(
            ["generate", "--live", "--now", "2100-01-01", "--database-url", Self.unreachable])
        #expect(generate.status == 64, "stderr: \(generate.standardError)")
        #expect(generate.standardError.contains("--now"), "stderr: \(generate.standardError)")
    }
}

extension DemoArgumentTests {
    /// On a cluster Ondo never migrated, the shop's role does not exist yet: the error says to migrate.
    @Test func generateOnAnUnmigratedDatabaseSaysToMigrateFirst() async throws {
        let folder = try DemoFolder("generate-unmigrated")
        defer { folder.remove() }
        let server = try await runBlocking {
            try EmbeddedPostgres.start(dataDirectory: folder.dataDirectory, logger: TestPostgres.logger)
        }
        defer { try? server.stop() }
        let generate = try await OndoExecutable.run(
            ["generate", "--customers", "10", "--products", "2", "--orders", "10", "--reviews", "5"],
            environment: ["ONDO_DATABASE_URL": server.connectionString()])
        #expect(generate.status == 1, "stderr: \(generate.standardError)")
        #expect(generate.standardError.contains("ondo migrate"), "stderr: \(generate.standardError)")
    }
}

extension DemoArgumentTests {
    /// `--rate 0` was refused with "--rate must be between 0 and 10000", which 0 is.
    @Test func aRateOfZeroIsRefusedWithARangeThatLeavesZeroOut() async throws {
        let demo = try await OndoExecutable.run(["demo", "--rate", "0", "--database-url", Self.unreachable])
        #expect(demo.status == 64, "stderr: \(demo.standardError)")
        #expect(
            demo.standardError.contains("--rate must be more than 0 and at most 10000 events per second"),
            "stderr: \(demo.standardError)")
    }

    /// A model file that is not there stopped the demo in its live step, after the database step and the shop's
    /// write; it now stops before the first step.
    @Test func aMissingModelStopsTheDemoBeforeTheDatabaseStep() async throws {
        let demo = try await OndoExecutable.run(
            ["demo", "--model", "/nonexistent/ondo-demo-argument-test.model", "--database-url", Self.unreachable])
        #expect(demo.status == 1, "stderr: \(demo.standardError)")
        #expect(
            demo.standardError.contains("cannot use the sentiment model /nonexistent/ondo-demo-argument-test.model"),
            "stderr: \(demo.standardError)")
        #expect(!demo.standardOutput.contains("[1] Database"), "stdout: \(demo.standardOutput)")
    }
}
