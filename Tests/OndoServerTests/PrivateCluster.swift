import CRMStore
import EmbeddedPostgres
import Foundation
import Postgres
import TestSupport

/// A throwaway PostgreSQL cluster of a test's own, with a migrated database `ondo`: for tests that stop or restart
/// the database under `ondo serve`, which the shared test cluster must never see.
struct PrivateCluster {
    private(set) var cluster: EmbeddedPostgres
    private let base: String
    private let options: EmbeddedPostgres.Options
    /// The connection string of the migrated database.
    let url: String

    /// Starts the cluster in a new temporary folder (removed when the test process exits), on a Unix socket there
    /// named by `port`, and migrates a database `ondo`.
    static func start(prefix: String, port: Int) throws -> PrivateCluster {
        let base = try TestClusterFolder.make(prefix: prefix)
        let options = ThrowawayCluster.options(in: base, port: port)
        let cluster = try ThrowawayCluster.start(in: base, options: options, removingFolder: true)
        let setup = try PostgresConnection(
            configuration: PostgresConfiguration(connectionString: cluster.connectionString(database: "postgres")),
            logger: TestPostgres.logger)
        try setup.execute("CREATE DATABASE ondo")
        setup.close()
        let url = cluster.connectionString(database: "ondo")
        let ondo = try connect(url)
        defer { ondo.close() }
        _ = try Migrator(directory: TestPostgres.migrationsDirectory, logger: TestPostgres.logger).migrate(on: ondo)
        return PrivateCluster(cluster: cluster, base: base, options: options, url: url)
    }

    /// A connection to the migrated database.
    func connect() throws -> PostgresConnection { try Self.connect(url) }

    /// Starts the stopped cluster again on the same folder and socket.
    mutating func restart() throws {
        cluster = try EmbeddedPostgres.start(
            dataDirectory: base + "/data", options: options, logger: TestPostgres.logger)
    }

    private static func connect(_ url: String) throws -> PostgresConnection {
        try PostgresConnection(configuration: PostgresConfiguration(connectionString: url), logger: TestPostgres.logger)
    }
}
