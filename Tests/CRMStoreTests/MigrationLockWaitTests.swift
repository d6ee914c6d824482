import CRMStore
import Foundation
import Postgres
import TestSupport
import Testing

/// A migration that needs a table a report login keeps locked (a BI tool's transaction left open after reading a
/// report view, which locks the tables behind the view) gives up within seconds and names that session, instead of
/// waiting for it with its own exclusive lock request queued, which makes every later statement on that table (the
/// workers', the shop's triggers') wait behind it.
@Suite struct MigrationLockWaitTests {
    @Test func aMigrationBlockedByAnOpenReportTransactionGivesUpAndNamesIt() async throws {
        let db = try await TestPostgres.shared.freshDatabase("MigrateBlocked")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ondo-sql-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: TestPostgres.migrationsDirectory, to: folder)
        defer { try? FileManager.default.removeItem(at: folder) }
        // The number after the shipped files: a gap before it would be refused.
        let file = "\(String(format: "%04d", SchemaVersion.expected + 1))_alter_customer_state.sql"
        try "SET LOCAL ROLE ondo_owner;\nALTER TABLE crm.customer_state ADD COLUMN probe_99 integer;\n".write(
            to: folder.appendingPathComponent(file), atomically: true, encoding: .utf8)
        var configured = try Migrator(directory: folder, logger: TestPostgres.logger)
        configured.lockTimeout = .seconds(1)  // three attempts of a second each, rather than of 5 s
        configured.migrateCommand = "ondo migrate --embedded-dir /x"  // the caller's, with its options
        let migrator = configured

        let report = try db.connect(as: .report)
        defer { report.close() }
        try report.execute("BEGIN")
        _ = try report.query("SELECT count(*) FROM report.customer_states")

        let started = Date()
        let ended = LockedBox<(result: Result<MigrationReport, any Error>, seconds: Double)?>(nil)
        let migrating = Task {
            let result: Result<MigrationReport, any Error>
            do { result = .success(try await db.withConnection { try migrator.migrate(on: $0) }) } catch {
                result = .failure(error)
            }
            ended.mutate { $0 = (result, Date().timeIntervalSince(started)) }
        }
        // The app's reads of the table, which would queue behind the migration's lock request while it waits.
        try await Task.sleep(for: .milliseconds(500))
        let appRead = try await db.withConnection(as: .app) { app -> String? in
            try app.execute("SET statement_timeout = '15s'")
            return sqlState { _ = try app.query("SELECT count(*) FROM crm.customer_state") }
        }
        let deadline = Date().addingTimeInterval(30)
        while ended.mutate({ $0 }) == nil && Date() < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        let outcome = ended.mutate { $0 }
        try report.execute("COMMIT")  // lets a migration still waiting proceed, so that the test ends either way
        await migrating.value
        let ending = outcome.map { String(format: "ended after %.1f s", $0.seconds) } ?? "still waiting after 30 s"
        print("blocked migration: \(ending)")

        #expect(appRead == nil, "the app read the table while the migration waited (SQLSTATE \(appRead ?? ""))")
        guard case .failure(let error as MigrationError) = outcome?.result else {
            Issue.record("the migration did not give up within 30 s: \(String(describing: outcome))")
            return
        }
        print("ondo tests: \(error.message)")
        #expect(error.code == .migrationFailed)
        #expect(error.message.contains(file), "\(error.message)")
        #expect(error.message.contains(db.userName(.report) ?? "report"), "names the blocking login: \(error.message)")
        #expect((error.underlying as? PostgresError)?.sqlState == "55P03")
        #expect(error.message.hasSuffix("then run `ondo migrate --embedded-dir /x` again"), "\(error.message)")
        let again = try await db.withConnection { try migrator.migrate(on: $0) }
        #expect(again.applied.map(\.fileName) == [file], "applies once the lock is free")
    }
}
