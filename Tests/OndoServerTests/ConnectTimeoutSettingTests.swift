import Foundation
import Testing

@testable import OndoServer
@testable import Postgres

/// `database.connectTimeoutSeconds` (`ONDO_DATABASE_CONNECT_TIMEOUT`) as libpq receives it. 0 became a 2 s timeout;
/// in libpq, and to a user who writes it, 0 means no limit, and the README and `ondo serve --help` now say so.
@Suite struct ConnectTimeoutSettingTests {
    private func libpqTimeout(_ settings: DatabaseSettings) throws -> [String] {
        var settings = settings
        settings.url = "host=/nowhere dbname=ondo user=nobody"
        return try settings.postgresConfiguration(for: .application).connectParameters()
            .filter { $0.0 == "connect_timeout" }.map(\.1)
    }

    @Test func zeroFromTheFileOrTheEnvironmentMeansNoLimit() throws {
        let folder = NSTemporaryDirectory() + "ondo-timeout-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/ondo.json"
        try #"{"database": {"connectTimeoutSeconds": 0}}"#.write(toFile: path, atomically: true, encoding: .utf8)
        let fromFile = try OndoConfiguration.load(file: path, environment: [:]).database
        #expect(try libpqTimeout(fromFile) == [])
        let fromEnvironment = try OndoConfiguration.load(
            file: path, environment: ["ONDO_DATABASE_CONNECT_TIMEOUT": "0"]
        ).database
        #expect(try libpqTimeout(fromEnvironment) == [])

        let one = try OndoConfiguration.load(file: path, environment: ["ONDO_DATABASE_CONNECT_TIMEOUT": "1"]).database
        #expect(try libpqTimeout(one) == ["2"], "libpq's minimum")
        #expect(try libpqTimeout(DatabaseSettings()) == ["10"], "the default")
        #expect(throws: ConfigurationError.self) {
            try OndoConfiguration.load(file: path, environment: ["ONDO_DATABASE_CONNECT_TIMEOUT": "-1"])
        }
    }

    /// `ondo serve` looks at the schema before it listens, waiting at most 2 s for the database: with no limit
    /// configured it still waits 2 s, not for ever.
    @Test func theLookBeforeListeningStillGivesUpWithNoLimitConfigured() throws {
        var settings = DatabaseSettings()
        settings.connectTimeoutSeconds = 0
        settings.url = "host=/nowhere dbname=ondo user=nobody"
        let look = try OndoServe.lookBeforeListeningConfiguration(settings)
        #expect(try look.connectParameters().filter { $0.0 == "connect_timeout" }.map(\.1) == ["2"])
    }
}
