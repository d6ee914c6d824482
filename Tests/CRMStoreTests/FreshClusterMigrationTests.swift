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
            let server = try Self.startCluster(in: base)
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

    /// `roles add-login` before `ondo migrate` on a new cluster: refused in words naming the missing group roles,
    /// not the server's "role "ondo_app" does not exist", and no role is created; `roles harden` likewise.
    @Test func addLoginBeforeAnyMigrationIsRefusedInWords() async throws {
        let base = try EmbeddedPostgres.makeTemporaryDirectory(prefix: "ondo-unmigrated-cluster")
        chmod(base, 0o755)
        defer { try? FileManager.default.removeItem(atPath: base) }
        let (refusal, loginExists, hardening) = try await runBlocking {
            let server = try Self.startCluster(in: base)
            defer { try? server.stop() }
            let admin = try PostgresConnection(
                configuration: PostgresConfiguration(connectionString: server.connectionString()),
                logger: TestPostgres.logger)
            defer { admin.close() }
            let refusal = thrown(
                RoleRefusal.self,
                by: {
                    _ = try LoginRoles.addLogin(name: "app_server", role: .app, password: "s3cret", on: admin)
                })
            let exists = try admin.queryValue(
                Bool.self, "SELECT EXISTS (SELECT FROM pg_roles WHERE rolname = 'app_server')")
            let hardening = thrown(RoleRefusal.self, by: { _ = try DatabaseHardening.openChanges(on: admin) })
            return (refusal, exists, hardening)
        }
        #expect(
            refusal?.message
                == "Ondo's group roles ondo_app, ondo_report, ondo_shop do not exist: run `ondo migrate` first"
        )
        #expect(!loginExists)
        #expect(
            hardening?.message
                == "Ondo's group roles ondo_app, ondo_owner, ondo_report, ondo_shop do not exist: run `ondo migrate` first"
        )
    }

    /// A private, non-durable cluster in `base`, stopped when the test process exits if not before.
    private static func startCluster(in base: String) throws -> EmbeddedPostgres {
        try ThrowawayCluster.start(in: base, options: ThrowawayCluster.options(in: base))
    }
}
