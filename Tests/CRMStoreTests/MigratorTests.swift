import CRMStore
import Foundation
import Postgres
import TestSupport
import Testing

/// Applying, re-applying, racing, refusing edited files, dry runs and failures.
@Suite struct MigratorTests {
    private var migrator: Migrator {
        get throws { try Migrator(directory: TestPostgres.migrationsDirectory, logger: TestPostgres.logger) }
    }

    private func ledgerCount(_ db: TestDatabase) async throws -> Int {
        try await db.withConnection { try $0.queryValue(Int.self, "SELECT count(*) FROM ondo_meta.schema_migrations") }
    }

    /// A copy of the migrations folder that a test may edit.
    /// The file name of the `offset`-th migration after the shipped ones (`0029_fine.sql` for 1 at 28).
    private func nextMigration(_ offset: Int, _ name: String) -> String {
        "\(String(format: "%04d", SchemaVersion.expected + offset))_\(name).sql"
    }

    private func copyOfMigrations() throws -> URL {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("ondo-sql-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: TestPostgres.migrationsDirectory, to: copy)
        return copy
    }

    /// The code's idea of the schema follows the files: a new migration must raise `SchemaVersion.expected`.
    @Test func theExpectedSchemaIsTheNewestMigrationFile() throws {
        let newest = try MigrationFile.load(from: TestPostgres.migrationsDirectory).map(\.version).max()
        #expect(newest == SchemaVersion.expected)
    }

    /// A database missing a migration, or migrated by a newer Ondo, is named as such with the command that fixes
    /// it; a current one passes.
    @Test func aSchemaOtherThanTheExpectedOneIsNamed() async throws {
        let db = try await TestPostgres.shared.database("SchemaVersion")
        let current = try await db.withConnection(as: .app) { try SchemaVersion.mismatch(on: $0) }
        #expect(current == nil)
        try await db.withConnection(as: .admin) { admin in
            try admin.execute(
                "DELETE FROM ondo_meta.schema_migrations WHERE version = \(SchemaVersion.expected)")
        }
        let older = try await db.withConnection(as: .app) { try SchemaVersion.mismatch(on: $0) }
        #expect(older?.contains("is at migration \(SchemaVersion.expected - 1)") == true, "\(older ?? "nil")")
        #expect(older?.contains("run `ondo migrate` first") == true)
        try await db.withConnection(as: .admin) { admin in
            try admin.execute(
                """
                INSERT INTO ondo_meta.schema_migrations (version, name, checksum, execution_ms)
                VALUES (\(SchemaVersion.expected + 1), 'from_the_future.sql', 'x', 0)
                """)
        }
        let newer = try await db.withConnection(as: .app) { try SchemaVersion.mismatch(on: $0) }
        #expect(newer?.contains("migrated by a newer Ondo (migration \(SchemaVersion.expected + 1)") == true)
        // A login of another Ondo role is told which role it needs, not PostgreSQL's "permission denied".
        for role in [TestRole.report, .shop] {
            let outsider = try await db.withConnection(as: role) { try SchemaVersion.mismatch(on: $0) }
            #expect(
                outsider?.hasPrefix("the login \(db.userName(role) ?? "") may not read Ondo's schema") == true,
                "\(role): \(outsider ?? "nil")")
            #expect(outsider?.contains("--role app") == true)
        }
        let empty = try await TestPostgres.shared.emptyDatabase("SchemaVersionEmpty")
        let none = try await empty.withConnection { try SchemaVersion.mismatch(on: $0) }
        #expect(none == "the database has no Ondo schema: run `ondo migrate` first")
    }

    /// A login in ondo_app on a database that lacks the rights Ondo's migrations grant that role (a dump restored
    /// before its roles existed, as the README's "Backups" warns) was told "it is not in role ondo_app", which it is.
    @Test func aLoginInTheAppRoleWithoutItsGrantsIsNotToldToJoinIt() async throws {
        let db = try await TestPostgres.shared.freshDatabase("SchemaVersionGrantsLost")
        try await db.withConnection(as: .admin) { admin in
            try admin.execute("REVOKE USAGE ON SCHEMA ondo_meta FROM ondo_app")
        }
        let refusal = try await db.withConnection(as: .app) { try SchemaVersion.mismatch(on: $0) }
        let login = db.userName(.app) ?? ""
        #expect(
            refusal?.hasPrefix("the login \(login) is in role ondo_app but may not read Ondo's schema") == true,
            "\(refusal ?? "nil")")
        #expect(refusal?.contains("not in role ondo_app") == false, "\(refusal ?? "nil")")
        #expect(refusal?.contains("restore the roles first") == true, "\(refusal ?? "nil")")
    }

    @Test func migratingTwiceIsANoOpTheSecondTime() async throws {
        let db = try await TestPostgres.shared.emptyDatabase("MigrateTwice")
        let migrator = try migrator
        let (first, second, status) = try await db.withConnection { conn in
            (try migrator.migrate(on: conn), try migrator.migrate(on: conn), try migrator.status(on: conn))
        }
        #expect(first.applied.map(\.version) == migrator.files.map(\.version))
        #expect(first.applied.count >= 3)
        #expect(second.applied.isEmpty)
        #expect(second.alreadyApplied == migrator.files.count)
        #expect(status.isUpToDate)
        #expect(try await ledgerCount(db) == migrator.files.count)
        let recorded = try await db.withConnection { conn in
            try conn.query("SELECT checksum, applied_by FROM ondo_meta.schema_migrations ORDER BY version").map {
                (try $0.decode(String.self, "checksum"), try $0.decode(String.self, "applied_by"))
            }
        }
        #expect(recorded.map(\.0) == migrator.files.map(\.checksum))
        #expect(recorded.allSatisfy { !$0.1.isEmpty })
    }

    @Test func templateCopiesAreUpToDate() async throws {
        let db = try await TestPostgres.shared.freshDatabase("TemplateStatus")
        let migrator = try migrator
        let (status, report) = try await db.withConnection { conn in
            (try migrator.status(on: conn), try migrator.migrate(on: conn))
        }
        #expect(status.isUpToDate)
        #expect(status.entries.count == migrator.files.count)
        #expect(report.applied.isEmpty)
    }

    @Test func concurrentMigrationsBothSucceedWithOneApplication() async throws {
        let db = try await TestPostgres.shared.emptyDatabase("MigrateRace")
        let migrator = try migrator
        let gate = try await AdvisoryLockGate.close(db, key: Migrator.advisoryLockKey)
        async let first = db.withConnection { try migrator.migrate(on: $0) }
        async let second = db.withConnection { try migrator.migrate(on: $0) }
        let waiting = try await gate.open(afterWaiters: 2)
        let reports = try await [first, second]
        #expect(waiting == 2, "both migrations were running at the same time")
        #expect(reports.allSatisfy { $0.waitedForLock })
        #expect(reports.map(\.applied.count).sorted() == [0, migrator.files.count])
        #expect(try await ledgerCount(db) == migrator.files.count)
        print(
            "ondo tests: two concurrent migrations: applied \(reports.map(\.applied.count)), "
                + "waited for the lock: \(reports.map(\.waitedForLock))")
    }

    @Test func severalDatabasesOnOneClusterMigrateAtOnce() async throws {
        let first = try await TestPostgres.shared.emptyDatabase("MigrateClusterA")
        let second = try await TestPostgres.shared.emptyDatabase("MigrateClusterB")
        let migrator = try migrator
        async let a = first.withConnection { try migrator.migrate(on: $0).applied.count }
        async let b = second.withConnection { try migrator.migrate(on: $0).applied.count }
        #expect(try await [a, b] == [migrator.files.count, migrator.files.count])
    }

    @Test func editedAppliedFileIsRefusedByName() async throws {
        let db = try await TestPostgres.shared.emptyDatabase("MigrateEdited")
        let folder = try copyOfMigrations()
        defer { try? FileManager.default.removeItem(at: folder) }
        let original = try Migrator(directory: folder, logger: TestPostgres.logger)
        try await db.withConnection { _ = try original.migrate(on: $0) }
        let file = folder.appendingPathComponent("0002_shop_tables.sql")
        try (String(contentsOf: file, encoding: .utf8) + "\n-- a harmless-looking edit\n").write(
            to: file, atomically: true, encoding: .utf8)
        let edited = try Migrator(directory: folder, logger: TestPostgres.logger)
        let (error, status) = try await db.withConnection { conn -> (MigrationError?, MigrationStatus) in
            var caught: MigrationError?
            do { _ = try edited.migrate(on: conn) } catch let error as MigrationError { caught = error }
            return (caught, try edited.status(on: conn))
        }
        #expect(error?.code == .checksumMismatch)
        #expect(error?.message.contains("0002_shop_tables.sql") == true)
        #expect(status.entries.first { $0.version == 2 }?.state == .changed)
        let dryRunError = await #expect(throws: MigrationError.self) {
            try await db.withConnection { _ = try edited.migrate(on: $0, dryRun: true) }
        }
        #expect(dryRunError?.code == .checksumMismatch)
    }

    @Test func databaseNewerThanTheFilesIsRefused() async throws {
        let db = try await TestPostgres.shared.freshDatabase("MigrateNewer")
        let folder = try copyOfMigrations()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.removeItem(at: folder.appendingPathComponent("0003_review_work_queue.sql"))
        let older = try Migrator(directory: folder, logger: TestPostgres.logger)
        let error = await #expect(throws: MigrationError.self) {
            try await db.withConnection { _ = try older.migrate(on: $0) }
        }
        #expect(error?.code == .unknownAppliedMigration)
        #expect(error?.message.contains("0003_review_work_queue.sql") == true)
    }

    /// A folder missing one file (the second newest here) let `ondo migrate` apply the files after it; the full
    /// folder then applied the missing one after a migration written to follow it, and servers took the database as
    /// current. Now the incomplete folder is refused before anything is applied.
    @Test func aFolderMissingAFileIsRefusedBeforeApplyingAnything() async throws {
        let db = try await TestPostgres.shared.emptyDatabase("MigrateGap")
        let folder = try copyOfMigrations()
        defer { try? FileManager.default.removeItem(at: folder) }
        let skipped = try #require(try migrator.files.dropLast().last)
        try FileManager.default.removeItem(at: folder.appendingPathComponent(skipped.fileName))
        let withGap = try Migrator(directory: folder, logger: TestPostgres.logger)
        let (dryRunError, error, migrated) = try await db.withConnection { conn in
            var errors: [MigrationError?] = []
            for dryRun in [true, false] {
                do {
                    _ = try withGap.migrate(on: conn, dryRun: dryRun)
                    errors.append(nil)
                } catch let error as MigrationError { errors.append(error) }
            }
            let migrated = try conn.queryValue(
                Bool.self, "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'shop')")
            return (errors[0], errors[1], migrated)
        }
        #expect(dryRunError?.code == .missingBeforePending)
        #expect(error?.code == .missingBeforePending)
        #expect(
            error?.message.contains("no migration numbered \(String(format: "%04d", skipped.version))") == true,
            "\(error?.message ?? "no error")")
        #expect(!migrated, "nothing applied")
    }

    /// A database that lacks a migration below its newest (migrated from an incomplete folder before the refusal
    /// above): the complete folder applied the missing file after the later ones, and servers took the database as
    /// current. Both refuse it now.
    @Test func pendingFileBelowAnAppliedOneIsRefused() async throws {
        let db = try await TestPostgres.shared.emptyDatabase("MigrateOutOfOrder")
        let full = try migrator
        let skipped = try #require(full.files.dropLast().last)
        let (served, dryRunError, error, stillPending) = try await db.withConnection { conn in
            _ = try full.migrate(on: conn)
            try conn.execute("DELETE FROM ondo_meta.schema_migrations WHERE version = \(skipped.version)")
            let served = try SchemaVersion.mismatch(on: conn)
            var errors: [MigrationError?] = []
            for dryRun in [true, false] {
                do {
                    _ = try full.migrate(on: conn, dryRun: dryRun)
                    errors.append(nil)
                } catch let error as MigrationError { errors.append(error) }
            }
            return (served, errors[0], errors[1], try full.status(on: conn).pending.map(\.fileName))
        }
        // The servers refuse it: its newest migration is the one they need, but one below it is missing.
        #expect(served?.contains("lacks migration(s) \(skipped.version) below") == true, "\(served ?? "served")")
        #expect(dryRunError?.code == .pendingBeforeApplied)
        #expect(error?.code == .pendingBeforeApplied)
        #expect(error?.message.contains(skipped.fileName) == true, "\(error?.message ?? "no error")")
        #expect(error?.message.contains(try #require(full.files.last).fileName) == true)
        #expect(stillPending == [skipped.fileName], "nothing applied out of order")
    }

    /// A database that has a schema `shop` of its own (from before Ondo): migration 0001 failed with "must be owner of
    /// schema shop" and the advice to use an administrator's connection, which the superuser running it was.
    @Test func aSchemaOfAnotherOwnerIsRefusedByName() async throws {
        let db = try await TestPostgres.shared.emptyDatabase("MigrateSchemaInTheWay")
        let migrator = try migrator
        let (dryRunError, error, ledger) = try await db.withConnection { conn in
            try conn.execute("CREATE SCHEMA shop")
            try conn.execute("CREATE TABLE shop.legacy_orders (id bigint)")
            var errors: [MigrationError?] = []
            for dryRun in [true, false] {
                do {
                    _ = try migrator.migrate(on: conn, dryRun: dryRun)
                    errors.append(nil)
                } catch let error as MigrationError { errors.append(error) }
            }
            let ledger = try conn.queryValue(
                Bool.self, "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'ondo_meta')")
            return (errors[0], errors[1], ledger)
        }
        let admin = try await db.withConnection { try $0.queryValue(String.self, "SELECT current_user::text") }
        #expect(dryRunError?.code == .schemaInTheWay)
        #expect(error?.code == .schemaInTheWay)
        #expect(
            error?.message.hasPrefix("the database already has the schema shop (owned by \(admin)), which") == true,
            "\(error?.message ?? "no error")")
        #expect(!ledger, "nothing changed")
    }

    /// A migration that alters an object someone made by hand in Ondo's schemas fails as ondo_owner ("must be owner
    /// of table …"); a superuser running it was told it lacked a privilege and needed an administrator's connection.
    @Test func aSuperuserIsToldWhatOndoOwnerMayNotChange() async throws {
        let db = try await TestPostgres.shared.freshDatabase("MigrateForeignObject")
        let folder = try copyOfMigrations()
        defer { try? FileManager.default.removeItem(at: folder) }
        try "SET LOCAL ROLE ondo_owner;\nALTER TABLE crm.made_by_hand ADD COLUMN probe integer;\n".write(
            to: folder.appendingPathComponent(nextMigration(1, "alter_made_by_hand")), atomically: true,
            encoding: .utf8)
        let altering = try Migrator(directory: folder, logger: TestPostgres.logger)
        let error = await #expect(throws: MigrationError.self) {
            try await db.withConnection { conn in
                try conn.execute("CREATE TABLE crm.made_by_hand (id bigint)")
                _ = try altering.migrate(on: conn)
            }
        }
        #expect(error?.code == .migrationFailed)
        #expect(error?.message.contains("must be owner of table made_by_hand") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("but the file runs as ondo_owner") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("needs an administrator's connection") == false, "\(error?.message ?? "")")
    }

    @Test func dryRunListsPendingAndWritesNothing() async throws {
        let db = try await TestPostgres.shared.emptyDatabase("MigrateDryRun")
        let migrator = try migrator
        let (report, ledger, shop) = try await db.withConnection { conn in
            (
                try migrator.migrate(on: conn, dryRun: true),
                try conn.queryValue(Bool.self, "SELECT to_regclass('ondo_meta.schema_migrations') IS NOT NULL"),
                try conn.queryValue(Bool.self, "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'shop')")
            )
        }
        #expect(report.dryRun)
        #expect(report.applied.count == migrator.files.count)
        #expect(!ledger)
        #expect(!shop)
    }

    @Test func failingMigrationIsRolledBackWholeAndNamed() async throws {
        let db = try await TestPostgres.shared.freshDatabase("MigrateBroken")
        let folder = try copyOfMigrations()
        defer { try? FileManager.default.removeItem(at: folder) }
        // The next two numbers after the shipped files: a gap before them would be refused.
        let (fine, broken) = (nextMigration(1, "fine"), nextMigration(2, "broken"))
        try "SET LOCAL ROLE ondo_owner;\nCREATE TABLE crm.fine_98 (n int);\n".write(
            to: folder.appendingPathComponent(fine), atomically: true, encoding: .utf8)
        try """
        SET LOCAL ROLE ondo_owner;
        CREATE TABLE crm.half_done (n int);
        SELECT 1 / 0;
        """.write(to: folder.appendingPathComponent(broken), atomically: true, encoding: .utf8)
        let failing = try Migrator(directory: folder, logger: TestPostgres.logger)
        let error = await #expect(throws: MigrationError.self) {
            try await db.withConnection { _ = try failing.migrate(on: $0) }
        }
        #expect(error?.code == .migrationFailed)
        #expect(error?.message.contains(broken) == true)
        #expect((error?.underlying as? PostgresError)?.sqlState == "22012")
        #expect(error?.appliedBeforeFailure.map(\.fileName) == [fine], "the file this run committed")
        let (halfDone, fineApplied, ledger) = try await db.withConnection { conn in
            (
                try conn.queryValue(Bool.self, "SELECT to_regclass('crm.half_done') IS NOT NULL"),
                try conn.queryValue(Bool.self, "SELECT to_regclass('crm.fine_98') IS NOT NULL"),
                try conn.queryValue(Int.self, "SELECT count(*) FROM ondo_meta.schema_migrations")
            )
        }
        #expect(!halfDone)
        #expect(fineApplied)
        let shipped = try FileManager.default.contentsOfDirectory(atPath: TestPostgres.migrationsDirectory.path)
            .filter { $0.hasSuffix(".sql") }.count
        #expect(ledger == shipped + 1)
    }

    @Test func migratedObjectsBelongToTheOwnerRole() async throws {
        let db = try await TestPostgres.shared.database("MigrateOwnership")
        let foreign = try await db.withConnection { conn in
            try conn.query(
                """
                SELECT n.nspname || '.' || c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname IN ('shop', 'crm', 'report') AND pg_get_userbyid(c.relowner) <> 'ondo_owner'
                UNION ALL
                SELECT nspname FROM pg_namespace WHERE nspname IN ('shop', 'crm', 'report')
                  AND pg_get_userbyid(nspowner) <> 'ondo_owner'
                UNION ALL
                SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                WHERE n.nspname = 'crm' AND pg_get_userbyid(p.proowner) <> 'ondo_owner'
                """
            ).map { try $0.decode(String.self, "name") }
        }
        #expect(foreign.isEmpty, "not owned by ondo_owner: \(foreign)")
    }
}
