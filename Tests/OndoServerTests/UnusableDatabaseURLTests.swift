import Foundation
import OndoServer
import TestSupport
import Testing

/// A database URL libpq refuses without connecting (it cannot parse it, or refuses a value such as the port) can
/// never work. It was taken for a server that is down: `ondo serve` retried it for a minute, and the commands said
/// "the database connection string is not valid" without libpq's reason or the setting that gave it. Now it is
/// refused at once, naming the setting: `--database-url` as a usage error (64), the environment and the file as
/// configuration errors (1), as the other settings read from there.
@Suite struct UnusableDatabaseURLTests {
    private static let badPort = "host=/nonexistent-ondo-socket-dir port=notaport"
    private static let badPortReason = #"invalid integer value "notaport" for connection option "port""#

    @Test(arguments: [
        (badPort, badPortReason),
        ("hots=localhost", #"invalid connection option "hots""#),
        ("postgresql://app@db:5432/ondo?foo=bar", #"invalid URI query parameter: "foo""#),
    ])
    func onTheCommandLineItIsAUsageError(_ url: String, reason: String) async throws {
        let outcome = try await OndoExecutable.run(["reviews", "status", "--database-url", url])
        #expect(outcome.status == 64, "exit \(outcome.status): \(outcome.standardError)")
        #expect(
            outcome.standardError.hasPrefix(
                "Error: --database-url is not a connection string libpq accepts: \(reason)"),
            "\(outcome.standardError)")
        #expect(outcome.standardError.contains("Usage: ondo reviews status"))
    }

    @Test func inTheEnvironmentItIsNamed() async throws {
        let status = try await OndoExecutable.run(
            ["reviews", "status"], environment: ["ONDO_DATABASE_URL": Self.badPort])
        #expect(status.status == 1)
        #expect(
            status.standardError.hasPrefix(
                "ondo reviews status: ONDO_DATABASE_URL is not a connection string libpq accepts: \(Self.badPortReason)"
            ),
            "\(status.standardError)")
        let migrate = try await OndoExecutable.run(
            ["migrate"], environment: ["ONDO_ADMIN_DATABASE_URL": "hots=localhost"])
        #expect(migrate.status == 1)
        #expect(
            migrate.standardError.hasPrefix(
                #"ondo migrate: ONDO_ADMIN_DATABASE_URL is not a connection string libpq accepts: invalid connection option "hots""#
            ), "\(migrate.standardError)")
    }

    @Test func inTheConfigurationFileItIsNamedWithTheFile() async throws {
        let path = try TestFiles.path("unusable-url", suffix: ".json")
        try #"{"database": {"url": "postgresql://app@db/ondo?foo=bar"}}"#.write(
            toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: ConfigurationError.self) { try OndoConfiguration.load(file: path, environment: [:]) }
        let outcome = try await OndoExecutable.run(["reviews", "status", "--config", path])
        #expect(outcome.status == 1)
        #expect(
            outcome.standardError.hasPrefix(
                #"ondo reviews status: \#(path): database.url is not a connection string libpq accepts: invalid URI query parameter: "foo""#
            ), "\(outcome.standardError)")
    }

    /// `ondo serve` retried such a URL as a database that is down for a minute (63 s, a warning every 5 s) before it
    /// gave up. It stops before it loads the model or listens.
    @Test func serveDoesNotWaitForIt() async throws {
        let outcome = try await OndoExecutable.run(
            ["serve", "--http-port", "0"], environment: ["ONDO_DATABASE_URL": Self.badPort])
        #expect(outcome.status == 1)
        #expect(!outcome.standardError.contains("retrying"), "\(outcome.standardError)")
        #expect(
            outcome.standardError.contains(
                "ondo serve: ONDO_DATABASE_URL is not a connection string libpq accepts: \(Self.badPortReason)"),
            "\(outcome.standardError)")
        #expect(!outcome.standardError.contains("sentiment model loaded"), "\(outcome.standardError)")
    }
}
