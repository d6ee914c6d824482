import CRMStore
import EmbeddedPostgres
import Foundation
import Postgres
import TestSupport
import Testing

/// Roles are cluster-wide: on a cluster that has none yet, several databases migrating at the same moment all
/// try to create them, and all must succeed.
@Suite struct FreshClusterMigrationTests {
    @Test func threeDatabasesOnANewClusterMigrateAtOnce() async throws {
        let base = try EmbeddedPostgres.makeTemporaryDirectory(prefix: "ondo-fresh-cluster")
        chmod(base, 0o755)
        defer { try? FileManager.default.removeItem(atPath: base) }
        let names = ["fresh_a", "fresh_b", "fresh_c"]
        let (server, rolesBefore) = try await runBlocking {
            var options = EmbeddedPostgres.Options()
            options.durable = false
            options.socketDirectory = base + "/run"
            let server = try EmbeddedPostgres.start(
                dataDirectory: base + "/data", options: options, logger: TestPostgres.logger)
            try server.stopWhenProcessExits()
            let admin = try PostgresConnection(
                configuration: PostgresConfiguration(connectionString: server.connectionString()),
                logger: TestPostgres.logger)
            defer { admin.close() }
            for name in names { try admin.execute("CREATE DATABASE \(identifier: name)") }
            return (
                server, try admin.queryValue(Int.self, "SELECT count(*) FROM pg_roles WHERE rolname LIKE 'ondo\\_%'")
            )
        }
        defer { try? server.stop() }

        let migrator = try Migrator(directory: TestPostgres.migrationsDirectory, logger: TestPostgres.logger)
        let applied = try await withThrowingTaskGroup(of: Int.self) { group in
            for name in names {
                let url = server.connectionString(database: name)
                group.addTask {
                    try await runBlocking {
                        let conn = try PostgresConnection(
                            configuration: PostgresConfiguration(connectionString: url), logger: TestPostgres.logger)
                        defer { conn.close() }
                        return try migrator.migrate(on: conn).applied.count
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(rolesBefore == 0)
        #expect(applied == Array(repeating: migrator.files.count, count: names.count))
        let groupRoles = try await runBlocking {
            let check = try PostgresConnection(
                configuration: PostgresConfiguration(connectionString: server.connectionString()),
                logger: TestPostgres.logger)
            defer { check.close() }
            return try check.queryValue(
                Int.self, "SELECT count(*) FROM pg_roles WHERE rolname LIKE 'ondo\\_%' AND NOT rolcanlogin")
        }
        #expect(groupRoles == 4)
    }
}
