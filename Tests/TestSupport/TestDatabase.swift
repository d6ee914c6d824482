import Dispatch
import Foundation
import Logging
import Postgres

/// A database of the test server, migrated from the template, with login users for every Ondo role.
public struct TestDatabase: Sendable {
    /// The database name.
    public let name: String
    let server: TestServer

    /// The configuration for connecting to this database as `role`.
    public func configuration(as role: TestRole = .admin) -> PostgresConfiguration {
        PostgresConfiguration(
            connectionString: server.adminConnectionString,
            passwordFile: role == .admin ? nil : server.passwordFile,
            applicationName: "ondo-tests",
            connectTimeout: TestServer.connectTimeoutSeconds,
            user: role.userName(suffix: server.userSuffix),
            database: name)
    }

    /// A complete libpq connection string for `role` (no password: see `environment(as:)`).
    public func connectionString(as role: TestRole = .admin) -> String {
        // The admin string was parsed at startup, so this cannot fail.
        guard var parsed = try? PostgresConnectionString(server.adminConnectionString) else {
            preconditionFailure("the test server's connection string stopped parsing")
        }
        parsed["dbname"] = name
        if let user = role.userName(suffix: server.userSuffix) { parsed["user"] = user }
        return parsed.conninfo
    }

    /// Environment variables that point an `ondo` process at this database as `role`.
    public func environment(as role: TestRole = .admin) -> [String: String] {
        var environment = ["ONDO_DATABASE_URL": connectionString(as: role)]
        if role != .admin, let file = server.passwordFile { environment["ONDO_DATABASE_PASSWORD_FILE"] = file }
        return environment
    }

    /// The login user name for `role` (`nil` for the admin).
    public func userName(_ role: TestRole) -> String? {
        role.userName(suffix: server.userSuffix)
    }

    /// Opens a connection (blocking; fine in tests).
    public func connect(as role: TestRole = .admin) throws -> PostgresConnection {
        try PostgresConnection(configuration: configuration(as: role), logger: TestPostgres.logger)
    }

    /// Runs `body` on a fresh connection on its own thread (off the cooperative pool), then closes it.
    @discardableResult
    public func withConnection<Result: Sendable>(
        as role: TestRole = .admin, _ body: @escaping @Sendable (PostgresConnection) throws -> Result
    ) async throws -> Result {
        let configuration = configuration(as: role)
        return try await runBlocking {
            let connection = try PostgresConnection(configuration: configuration, logger: TestPostgres.logger)
            defer { connection.close() }
            return try body(connection)
        }
    }

    /// Makes `tables`' statistics say what they hold now (empty, in the tests that call it before filling them) and
    /// keeps autovacuum from updating them: as on a fresh install, or after the pipeline benchmark's `TRUNCATE`,
    /// while the tables grow. `tables` are schema-qualified names the test writes itself.
    public func freezeStatistics(of tables: [String]) async throws {
        try await withConnection(as: .admin) { admin in
            for table in tables {
                try admin.execute(PostgresQuery(unsafeSQL: "ALTER TABLE \(table) SET (autovacuum_enabled = false)"))
                try admin.execute(PostgresQuery(unsafeSQL: "VACUUM ANALYZE \(table)"))
            }
        }
    }

    /// A pool on this database as `role`.
    public func makePool(as role: TestRole = .admin, maxConnections: Int = 4) -> PostgresPool {
        PostgresPool(
            configuration: configuration(as: role), maxConnections: maxConnections, logger: TestPostgres.logger)
    }
}

/// Runs blocking work (libpq calls, starting a cluster) on a thread of its own and awaits it, so tests never
/// block Swift's cooperative thread pool (two threads on a two-core machine).
public func runBlocking<Result: Sendable>(_ work: @escaping @Sendable () throws -> Result) async throws -> Result {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Swift.Result { try work() }) }.start()
    }
}
