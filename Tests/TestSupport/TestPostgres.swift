import CRMStore
import Dispatch
import EmbeddedPostgres
import Foundation
import Logging
import Postgres

/// The PostgreSQL server the tests run against, started once per test process.
///
/// Without `ONDO_TEST_DATABASE_URL`, it starts a throwaway cluster with the machine's `initdb`/`pg_ctl` in a
/// temporary folder (as `postgres`/`nobody` when running as root), which is stopped and deleted when the
/// process exits, even if it crashes (a watchdog process does that). With `ONDO_TEST_DATABASE_URL` (a superuser
/// URL), it uses that server and drops what it created at exit.
///
/// Either way it migrates a template database once and creates login users `test_app`, `test_shop` and
/// `test_report`; each `database(_:)` is a copy of the template.
///
/// ```swift
/// let db = try await TestPostgres.shared.database("PrivilegeTests")
/// try await db.withConnection(as: .shop) { conn in try conn.execute("INSERT INTO shop.reviews …") }
/// ```
public final class TestPostgres: Sendable {
    /// The one instance per test process.
    public static let shared = TestPostgres()

    /// The harness's logger: warnings only, unless `ONDO_TEST_LOG_LEVEL` says otherwise.
    public static let logger: Logger = {
        var logger = Logger(label: "ondo.tests")
        logger.logLevel =
            ProcessInfo.processInfo.environment["ONDO_TEST_LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0) }
            ?? .warning
        return logger
    }()

    /// The repository's `sql/` folder.
    public static let migrationsDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("sql")

    // Everything below is touched only on `queue`, which also serialises CREATE DATABASE.
    private let queue = DispatchQueue(label: "ondo.tests.postgres")
    private let state = HarnessState()

    private final class HarnessState: @unchecked Sendable {
        var server: TestServer?
        var databases: [String: TestDatabase] = [:]
        var counter = 0
    }

    private init() {}

    /// The database for `key` (typically the suite's name), created from the template on first use.
    public func database(_ key: String) async throws -> TestDatabase {
        try await onQueue { [state] in
            if let existing = state.databases[key] { return existing }
            let database = try self.createDatabase(prefix: key, template: true)
            state.databases[key] = database
            return database
        }
    }

    /// A new database copied from the template, for a test that needs one of its own.
    public func freshDatabase(_ prefix: String) async throws -> TestDatabase {
        try await onQueue { try self.createDatabase(prefix: prefix, template: true) }
    }

    /// A new database with no Ondo schema at all (for migration tests). The group roles exist already: they
    /// are cluster-wide.
    public func emptyDatabase(_ prefix: String) async throws -> TestDatabase {
        try await onQueue { try self.createDatabase(prefix: prefix, template: false) }
    }

    private func onQueue<Result: Sendable>(_ work: @escaping @Sendable () throws -> Result) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Swift.Result { try work() }) }
        }
    }

    private func createDatabase(prefix: String, template: Bool) throws -> TestDatabase {
        let server = try startedServer()
        state.counter += 1
        let cleaned = prefix.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "_" }
        let name = "t_" + String(cleaned.prefix(40)) + "_\(state.counter)" + server.userSuffix
        let admin = try PostgresConnection(configuration: server.maintenanceConfiguration, logger: Self.logger)
        defer { admin.close() }
        let source = template ? server.templateName : "template0"
        try admin.execute("CREATE DATABASE \(identifier: name) TEMPLATE \(identifier: source)")
        ExitCleanup.shared.add(database: name)
        return TestDatabase(name: name, server: server)
    }

    private func startedServer() throws -> TestServer {
        if let server = state.server { return server }
        let started = Date()
        let server = try TestServer.start(logger: Self.logger)
        try server.prepareTemplate(migrationsDirectory: Self.migrationsDirectory, logger: Self.logger)
        state.server = server
        print(
            "ondo tests: PostgreSQL \(server.kind) ready in \(String(format: "%.1f", Date().timeIntervalSince(started))) s "
                + "(template \(server.templateName) migrated)")
        return server
    }
}
