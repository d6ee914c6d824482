import CRMStore
import Foundation
import Postgres
import TestSupport
import Testing

/// `ondo migrate` and `ondo roles add-login` as separate processes, the way operators run them.
@Suite struct MigrateCommandTests {
    private func ledger(_ db: TestDatabase) async throws -> Int {
        try await db.withConnection { conn in
            guard try conn.queryValue(Bool.self, "SELECT to_regclass('ondo_meta.schema_migrations') IS NOT NULL") else {
                return 0
            }
            return try conn.queryValue(Int.self, "SELECT count(*) FROM ondo_meta.schema_migrations")
        }
    }

    @Test func migrateTwiceIsANoOpTheSecondTime() async throws {
        let db = try await TestPostgres.shared.emptyDatabase("CLIMigrateTwice")
        let environment = db.environment(as: .admin)
        let pending = try await OndoExecutable.run(["migrate", "--status"], environment: environment)
        #expect(pending.status == 0)
        #expect(pending.standardOutput.contains(try Regex("0001_roles_and_schemas.sql +pending")))
        let dryRun = try await OndoExecutable.run(["migrate", "--dry-run"], environment: environment)
        #expect(dryRun.standardOutput.contains("would apply 0003_review_work_queue.sql"))
        #expect(try await ledger(db) == 0)

        let first = try await OndoExecutable.run(["migrate"], environment: environment)
        #expect(first.status == 0, "\(first.standardError)")
        #expect(first.standardOutput.contains("applied 0001_roles_and_schemas.sql"))
        #expect(first.standardOutput.contains("applied 0003_review_work_queue.sql"))
        let second = try await OndoExecutable.run(["migrate"], environment: environment)
        #expect(second.status == 0)
        #expect(!second.standardOutput.contains("applied 0"))
        #expect(second.standardOutput.contains("is up to date (\(shippedMigrations) migration(s) applied earlier)"))
        #expect(try await ledger(db) == shippedMigrations)

        let status = try await OndoExecutable.run(["migrate", "--status"], environment: environment)
        #expect(status.standardOutput.contains(try Regex("0002_shop_tables.sql +applied")))
        #expect(status.standardOutput.contains("up to date"))
    }

    @Test func twoConcurrentMigrateProcessesBothSucceedWithOneApplication() async throws {
        let db = try await TestPostgres.shared.emptyDatabase("CLIMigrateRace")
        let environment = db.environment(as: .admin)
        let gate = try await AdvisoryLockGate.close(db, key: Migrator.advisoryLockKey)
        async let first = OndoExecutable.run(["migrate"], environment: environment)
        async let second = OndoExecutable.run(["migrate"], environment: environment)
        let waiting = try await gate.open(afterWaiters: 2)
        let outcomes = try await [first, second]
        #expect(waiting == 2, "both processes were migrating at the same time")
        #expect(outcomes.allSatisfy { $0.standardOutput.contains("waited for another ondo migrate") })
        #expect(outcomes.map(\.status) == [0, 0], "\(outcomes.map(\.standardError))")
        let appliedLines = outcomes.flatMap { $0.standardOutput.split(separator: "\n") }.filter {
            $0.hasPrefix("applied ")
        }
        #expect(appliedLines.count == shippedMigrations)
        #expect(try await ledger(db) == shippedMigrations)
    }

    @Test func editedMigrationIsRefusedWithASentence() async throws {
        let db = try await TestPostgres.shared.freshDatabase("CLIMigrateEdited")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ondo-cli-sql-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: TestPostgres.migrationsDirectory, to: folder)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("0001_roles_and_schemas.sql")
        try (String(contentsOf: file, encoding: .utf8) + "\n-- edited\n").write(
            to: file, atomically: true, encoding: .utf8)
        let outcome = try await OndoExecutable.run(
            ["migrate", "--migrations-dir", folder.path], environment: db.environment(as: .admin))
        #expect(outcome.status == 1)
        #expect(outcome.standardError.hasPrefix("ondo migrate: migration 0001_roles_and_schemas.sql was changed"))
        #expect(outcome.standardError.split(separator: "\n").count == 1, "one sentence, no stack dump")
    }

    /// `--status` on a database that has a migration the folder lacks (a newer Ondo's) showed it as `missingFile`,
    /// the name of a Swift case, where the README lists the states in words.
    @Test func statusShowsAMigrationTheFolderLacksInWords() async throws {
        let db = try await TestPostgres.shared.freshDatabase("CLIMigrateStatusMissing")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ondo-cli-sql-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: TestPostgres.migrationsDirectory, to: folder)
        defer { try? FileManager.default.removeItem(at: folder) }
        let newest = try #require(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted().last)
        try FileManager.default.removeItem(at: folder.appendingPathComponent(newest))
        let outcome = try await OndoExecutable.run(
            ["migrate", "--status", "--migrations-dir", folder.path], environment: db.environment(as: .admin))
        #expect(outcome.status == 1, "\(outcome.standardError)")
        #expect(outcome.standardOutput.contains(try Regex("\(newest) +missing +[0-9]")), "\(outcome.standardOutput)")
        #expect(!outcome.standardOutput.contains("missingFile"), "\(outcome.standardOutput)")
        #expect(outcome.standardError.contains("the database has migration \(newest)"), "\(outcome.standardError)")
    }

    @Test func aFailingFileSaysWhichFilesThisRunApplied() async throws {
        let db = try await TestPostgres.shared.freshDatabase("CLIMigrateBroken")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ondo-cli-sql-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: TestPostgres.migrationsDirectory, to: folder)
        defer { try? FileManager.default.removeItem(at: folder) }
        // The next numbers after the shipped files: a gap before them would be refused.
        let (fine, alsoFine, broken) = (
            nextMigration(1, "fine"), nextMigration(2, "also_fine"), nextMigration(3, "broken")
        )
        try "SET LOCAL ROLE ondo_owner;\nCREATE TABLE crm.fine_97 (n int);\n".write(
            to: folder.appendingPathComponent(fine), atomically: true, encoding: .utf8)
        try "SET LOCAL ROLE ondo_owner;\nCREATE TABLE crm.fine_98 (n int);\n".write(
            to: folder.appendingPathComponent(alsoFine), atomically: true, encoding: .utf8)
        try "SET LOCAL ROLE ondo_owner;\nSELECT 1 / 0;\n".write(
            to: folder.appendingPathComponent(broken), atomically: true, encoding: .utf8)
        let outcome = try await OndoExecutable.run(
            ["migrate", "--migrations-dir", folder.path], environment: db.environment(as: .admin))
        #expect(outcome.status == 1)
        #expect(outcome.standardOutput == "applied \(fine)\napplied \(alsoFine)\n")
        #expect(outcome.standardError.hasPrefix("ondo migrate: migration \(broken) failed and was rolled back"))
        #expect(try await ledger(db) == shippedMigrations + 2, "the files before the failing one stay applied")
    }

    /// `ondo migrate … 2>&1 | tee migrate.log` keeps the order the README promises: the files applied, then the
    /// error. Standard output is block-buffered into a pipe, so it must be flushed before the error is written.
    @Test func theFilesAppliedComeBeforeTheErrorInOneStream() async throws {
        let db = try await TestPostgres.shared.freshDatabase("CLIMigrateBrokenMerged")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ondo-cli-sql-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: TestPostgres.migrationsDirectory, to: folder)
        defer { try? FileManager.default.removeItem(at: folder) }
        let (fine, broken) = (nextMigration(1, "fine"), nextMigration(2, "broken"))
        try "SET LOCAL ROLE ondo_owner;\nCREATE TABLE crm.fine_97 (n int);\n".write(
            to: folder.appendingPathComponent(fine), atomically: true, encoding: .utf8)
        try "SET LOCAL ROLE ondo_owner;\nSELECT 1 / 0;\n".write(
            to: folder.appendingPathComponent(broken), atomically: true, encoding: .utf8)
        let lines = try await runIntoOneStream(
            ["migrate", "--migrations-dir", folder.path], environment: db.environment(as: .admin)
        ).split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.first.map(String.init) == "applied \(fine)")
        #expect(lines.last?.hasPrefix("ondo migrate: migration \(broken) failed") == true)
    }

    /// `migrate --dry-run` and `--status` said "1000 migration(s) pending" and "1000 pending", where every other
    /// count of `ondo` is grouped.
    @Test func pendingCountsAreGrouped() async throws {
        let db = try await TestPostgres.shared.freshDatabase("CLIMigrateThousandPending")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ondo-cli-sql-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: TestPostgres.migrationsDirectory, to: folder)
        defer { try? FileManager.default.removeItem(at: folder) }
        for offset in 1...1_000 {
            try "SELECT 1;\n".write(
                to: folder.appendingPathComponent(nextMigration(offset, "noop")), atomically: true, encoding: .utf8)
        }
        let named = ["--migrations-dir", folder.path]
        let dryRun = try await OndoExecutable.run(
            ["migrate", "--dry-run"] + named, environment: db.environment(as: .admin))
        #expect(dryRun.status == 0, "\(dryRun.standardError)")
        #expect(
            dryRun.standardOutput.contains("\n1,000 migration(s) pending on "), "\(dryRun.standardOutput.suffix(300))")
        let status = try await OndoExecutable.run(
            ["migrate", "--status"] + named, environment: db.environment(as: .admin))
        #expect(
            status.standardOutput.hasSuffix("\n1,000 pending: run `ondo migrate --migrations-dir \(folder.path)`\n"),
            "\(status.standardOutput.suffix(300))")
        #expect(try await ledger(db) == shippedMigrations, "a dry run or --status applied something")
    }

    /// The file name of the `offset`-th migration after the shipped ones (`0029_fine.sql` for 1 at 28).
    private func nextMigration(_ offset: Int, _ name: String) -> String {
        "\(String(format: "%04d", SchemaVersion.expected + offset))_\(name).sql"
    }

    /// Runs `ondo arguments…` with standard output and standard error written into one pipe, as `2>&1` does.
    private func runIntoOneStream(_ arguments: [String], environment: [String: String]) async throws -> String {
        let executable = try OndoExecutable.path
        let merged = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("ONDO_") }.merging(environment) {
            $1
        }
        // On a thread of its own: reading the pipe to its end blocks until the process exits.
        return try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(
                    with: Result {
                        let process = Process()
                        process.executableURL = URL(fileURLWithPath: executable)
                        process.arguments = arguments
                        process.environment = merged
                        let pipe = Pipe()
                        process.standardOutput = pipe
                        process.standardError = pipe
                        process.standardInput = FileHandle.nullDevice
                        try process.run()
                        let data = pipe.fileHandleForReading.readDataToEndOfFile()
                        process.waitUntilExit()
                        return String(decoding: data, as: UTF8.self)
                    })
            }.start()
        }
    }

    /// The help gives the order `MigrationDirectory.locate` searches in: the executable's folder upwards comes
    /// before the working folder's. It said "./sql upwards" only.
    @Test func helpSaysWhereTheMigrationsAreLookedFor() async throws {
        let help = try await OndoExecutable.run(["migrate", "--help"])
        #expect(help.status == 0)
        let text = help.standardOutput.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(text.contains("else a sql/ folder next to or above the executable, else one in or above the working"))
    }

    /// A dump restored before its roles existed: every migration is in the ledger, but Ondo's groups lack the rights
    /// the migrations granted (here taken away by hand, as such a restore leaves them). `ondo migrate` said "up to
    /// date" and exited 0, while every login of the app, shop and reports failed; now it and `--status` name what
    /// is missing and what to do, and exit 1. With the rights back, both succeed again.
    @Test func rolesWithoutTheirRightsAreNamedInsteadOfUpToDate() async throws {
        let db = try await TestPostgres.shared.database("CLIMigrateRolesWithoutRights")
        let environment = db.environment(as: .admin)
        try await db.withConnection { admin in
            try admin.execute("REVOKE USAGE ON SCHEMA crm FROM ondo_app")
            try admin.execute("REVOKE USAGE ON SCHEMA report FROM ondo_report")
            try admin.execute("ALTER SCHEMA shop OWNER TO CURRENT_USER")
        }
        for arguments in [["migrate"], ["migrate", "--status"]] {
            let outcome = try await OndoExecutable.run(arguments, environment: environment)
            #expect(outcome.status == 1, "\(arguments)")
            #expect(outcome.standardOutput.contains("up to date"), "\(arguments)")
            let error = outcome.standardError
            #expect(error.hasPrefix("ondo migrate: Ondo's roles lack rights its migrations granted on "), "\(error)")
            #expect(error.contains("schema shop belongs to "), "\(error)")
            #expect(
                error.contains("ondo_app may not use schema crm; ondo_report may not use schema report."), "\(error)")
            #expect(error.contains("restore the roles first (pg_dumpall --roles-only), then the dump"), "\(error)")
        }
        try await db.withConnection { admin in
            try admin.execute("GRANT USAGE ON SCHEMA crm TO ondo_app")
            try admin.execute("GRANT USAGE ON SCHEMA report TO ondo_report")
            try admin.execute("ALTER SCHEMA shop OWNER TO ondo_owner")
        }
        for arguments in [["migrate"], ["migrate", "--status"]] {
            let outcome = try await OndoExecutable.run(arguments, environment: environment)
            #expect(outcome.status == 0, "\(arguments): \(outcome.standardError)")
            #expect(outcome.standardError.isEmpty, "\(arguments)")
        }
    }

    @Test func unreachableDatabaseIsOneSentenceWithoutSecrets() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ondo-cli-pw-\(UUID().uuidString)")
        try "sekrit-password\n".write(to: folder, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try await OndoExecutable.run(
            [
                "migrate", "--database-url", "host=/nonexistent-socket-dir user=nobody dbname=none",
                "--database-password-file", folder.path,
            ])
        #expect(outcome.status == 1)
        #expect(outcome.standardError.hasPrefix("ondo migrate: PostgreSQL connection"))
        #expect(!outcome.standardError.contains("sekrit"))
    }

    /// A login that is not an administrator's (the server's, the shop's) given to `ondo migrate`: it printed only
    /// PostgreSQL's "permission denied for database …". Now one sentence names the login, what it may not do, and the
    /// connection migrate needs.
    @Test func aLoginThatIsNotAnAdministratorIsToldWhatMigrateNeeds() async throws {
        let db = try await TestPostgres.shared.database("CLIMigrateNotAdmin")
        let app = try #require(db.userName(.app))
        let shop = try #require(db.userName(.shop))
        let cases: [(role: TestRole, arguments: [String], refusal: String)] = [
            (
                .app, ["migrate"],
                "ondo migrate: the login \(app) may not create the migration ledger (schema ondo_meta) "
                    + "(PostgreSQL: permission denied for database \(db.name))"
            ),
            (
                .shop, ["migrate", "--status"],
                "ondo migrate: the login \(shop) may not read the migration ledger ondo_meta.schema_migrations "
                    + "(PostgreSQL: permission denied for schema ondo_meta)"
            ),
        ]
        for (role, arguments, refusal) in cases {
            let outcome = try await OndoExecutable.run(arguments, environment: db.environment(as: role))
            #expect(outcome.status == 1, "\(arguments): \(outcome.standardError)")
            #expect(outcome.standardError.hasPrefix(refusal), "\(arguments): \(outcome.standardError)")
            #expect(
                outcome.standardError.contains(
                    "ondo migrate needs an administrator's connection, a superuser or a role with CREATEROLE that owns "
                        + "the database: set ONDO_ADMIN_DATABASE_URL to its URL, or pass it with --database-url"),
                "\(arguments): \(outcome.standardError)")
            #expect(outcome.standardError.split(separator: "\n").count == 1, "one sentence, no stack dump")
        }
    }

    /// An owner of the database without CREATEROLE given to `ondo migrate`: it passes the ledger and lock steps and
    /// fails inside a migration file on a privilege. The refusal keeps naming the file and the rollback, and adds
    /// what `ondo migrate` needs, as the ledger step's refusal does (review follow-up of h5).
    @Test func aPrivilegeMissingInsideAMigrationNamesTheConnectionMigrateNeeds() async throws {
        let db = try await TestPostgres.shared.emptyDatabase("CLIMigrateNoCreateRole")
        let owner = "test_owner_\(UUID().uuidString.prefix(8).lowercased())"
        try await db.withConnection { admin in
            try admin.execute(PostgresQuery(unsafeSQL: "CREATE ROLE \(owner) LOGIN NOCREATEROLE"))
            try admin.execute(PostgresQuery(unsafeSQL: "ALTER DATABASE \(db.name) OWNER TO \(owner)"))
        }
        var environment = db.environment(as: .admin)
        var url = try PostgresConnectionString(db.connectionString(as: .admin))
        url["user"] = owner
        environment["ONDO_DATABASE_URL"] = url.conninfo
        let outcome = try await OndoExecutable.run(["migrate"], environment: environment)
        try await db.withConnection { admin in
            try admin.execute(PostgresQuery(unsafeSQL: "ALTER DATABASE \(db.name) OWNER TO CURRENT_USER"))
            try admin.execute(PostgresQuery(unsafeSQL: "DROP OWNED BY \(owner)"))
            try admin.execute(PostgresQuery(unsafeSQL: "DROP ROLE \(owner)"))
        }
        print("migrate by an owner without CREATEROLE: exit \(outcome.status): \(outcome.standardError)")
        #expect(outcome.status == 1)
        #expect(
            outcome.standardError.contains(try Regex("migration 0\\d{3}_[a-z_]+\\.sql failed and was rolled back")),
            "\(outcome.standardError)")
        #expect(
            outcome.standardError.contains(
                "ondo migrate needs an administrator's connection, a superuser or a role with CREATEROLE that owns "
                    + "the database: set ONDO_ADMIN_DATABASE_URL to its URL, or pass it with --database-url"),
            "\(outcome.standardError)")
        #expect(outcome.standardError.contains("The login \(owner) lacks a privilege"), "\(outcome.standardError)")
    }

    /// `--migrations-dir` (or `ONDO_SQL_DIR`) naming a folder whose newest migration is older than the database's:
    /// the refusal blamed "this build of ondo", which may well be new enough. It names the folder now.
    @Test func aNamedFolderOlderThanTheDatabaseIsNamedAsTheCulprit() async throws {
        let db = try await TestPostgres.shared.database("CLIMigrateOldFolder")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ondo-cli-old-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let shipped = try FileManager.default.contentsOfDirectory(atPath: TestPostgres.migrationsDirectory.path)
            .filter { $0.hasSuffix(".sql") }.sorted()
        let older = Array(shipped.prefix(10))
        for name in older {
            try FileManager.default.copyItem(
                at: TestPostgres.migrationsDirectory.appendingPathComponent(name),
                to: folder.appendingPathComponent(name))
        }
        let lacking = shipped[10]
        let newest = try #require(older.last)
        let named = ["--migrations-dir", folder.path]
        let cases: [(arguments: [String], environment: [String: String], namedBy: String, undo: String)] = [
            (["migrate"] + named, [:], "--migrations-dir", "leave out --migrations-dir"),
            (["migrate", "--dry-run"] + named, [:], "--migrations-dir", "leave out --migrations-dir"),
            (["migrate", "--status"] + named, [:], "--migrations-dir", "leave out --migrations-dir"),
            (["migrate"], ["ONDO_SQL_DIR": folder.path], "ONDO_SQL_DIR", "unset ONDO_SQL_DIR"),
        ]
        for (arguments, extra, namedBy, undo) in cases {
            let outcome = try await OndoExecutable.run(
                arguments, environment: db.environment(as: .admin).merging(extra) { $1 })
            let text = outcome.standardError
            #expect(outcome.status == 1, "\(arguments): \(text)")
            #expect(
                text.hasPrefix(
                    "ondo migrate: the database has migration \(lacking), which the folder \(folder.path) "
                        + "(\(namedBy)) does not have: its newest is \(newest). Name the sql/ folder of an Ondo at "
                        + "least as new as the one that applied it, or \(undo) to use this ondo's own"),
                "\(arguments): \(text)")
            #expect(!text.contains("this build"), "\(arguments): \(text)")
        }
        #expect(try await ledger(db) == shippedMigrations, "nothing was applied or removed")
    }

    /// A migration that fails in a way a second run mends (here an object made by hand in Ondo's schemas, which
    /// ondo_owner may not alter) ended "then run ondo migrate again": without the options that chose the database
    /// and the folder, that went to $ONDO_DATABASE_URL, or found none. The hint is the command that works; the test
    /// runs it.
    @Test func aMigrationToRunAgainIsNamedWithTheOptionsThatReachTheDatabase() async throws {
        let db = try await TestPostgres.shared.freshDatabase("CLIMigrateAgain")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "ondo-cli-again-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: TestPostgres.migrationsDirectory, to: folder)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = "\(String(format: "%04d", SchemaVersion.expected + 1))_alter_made_by_hand.sql"
        try "SET LOCAL ROLE ondo_owner;\nALTER TABLE crm.made_by_hand ADD COLUMN probe integer;\n".write(
            to: folder.appendingPathComponent(file), atomically: true, encoding: .utf8)
        try await db.withConnection { try $0.execute("CREATE TABLE crm.made_by_hand (id bigint)") }
        let migrate = ["migrate", "--migrations-dir", folder.path, "--database-url", db.connectionString(as: .admin)]

        let refused = try await OndoExecutable.run(migrate)
        #expect(refused.status == 1, "\(refused.standardError)")
        #expect(refused.standardError.contains("but the file runs as ondo_owner"), "\(refused.standardError)")
        let hint = try #require(try ShellHint.ondoArguments(in: refused.standardError), "\(refused.standardError)")
        #expect(hint == migrate)

        try await db.withConnection { try $0.execute("ALTER TABLE crm.made_by_hand OWNER TO ondo_owner") }
        let again = try await OndoExecutable.run(hint)
        #expect(again.status == 0, "\(again.standardError)")
        #expect(again.standardOutput.contains("applied \(file)"), "\(again.standardOutput)")
    }

    @Test func addLoginReadsThePasswordFromStandardInput() async throws {
        let db = try await TestPostgres.shared.database("CLIRoles")
        let name = "cli_login_\(UInt32.random(in: 0...UInt32.max))"
        let outcome = try await OndoExecutable.run(
            ["roles", "add-login", name, "--role", "report", "--password-stdin"],
            environment: db.environment(as: .admin),
            input: "s3cret 비밀번호\n")
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect(outcome.standardOutput.contains("created login \(name) in ondo_report"))
        #expect(!outcome.standardOutput.contains("s3cret"))
        let (member, scram) = try await db.withConnection { conn in
            defer { _ = try? conn.execute("DROP ROLE IF EXISTS \(identifier: name)") }
            return (
                try conn.queryValue(Bool.self, "SELECT pg_has_role(\(name), 'ondo_report', 'MEMBER')"),
                try conn.queryValue(String.self, "SELECT rolpassword FROM pg_authid WHERE rolname = \(name)")
            )
        }
        #expect(member)
        #expect(scram.hasPrefix("SCRAM-SHA-256$"))
    }

    /// A password file with a second line gave the login its first line as password while connections read the
    /// whole file: it is refused, as connections refuse it, and no login is made.
    @Test func addLoginRefusesAPasswordFileOfTwoLines() async throws {
        let db = try await TestPostgres.shared.database("CLIRoles")
        let name = "cli_login_\(UInt32.random(in: 0...UInt32.max))"
        let file = try TestFiles.path("two-line-password", suffix: ".txt")
        try "first line\nsecond line\n".write(toFile: file, atomically: true, encoding: .utf8)
        let outcome = try await OndoExecutable.run(
            ["roles", "add-login", name, "--role", "report", "--password-file", file],
            environment: db.environment(as: .admin))
        #expect(outcome.status == 1, "\(outcome.standardError)")
        #expect(
            outcome.standardError.contains(
                "the password file \(file) (named by --password-file) holds more than one line: write the password "
                    + "alone, on one line"),
            "\(outcome.standardError)")
        let exists = try await db.withConnection { conn in
            try conn.queryValue(Bool.self, "SELECT EXISTS (SELECT FROM pg_roles WHERE rolname = \(name))")
        }
        #expect(!exists)
    }
}

/// The long-running process handle works (the lead's fault tests build on it).
@Suite struct OndoProcessTests {
    @Test func startsSignalsAndCollectsOutput() async throws {
        let help = try OndoProcess.start(["--help"])
        let outcome = try await help.waitForExit()
        #expect(outcome.status == 0)
        #expect(outcome.standardOutput.contains("migrate"))
        let reading = try OndoProcess.start(["roles", "add-login", "x", "--role", "app", "--password-stdin"])
        let refused = try await reading.waitForExit()
        #expect(!reading.isRunning)
        #expect(refused.status == 1)
        #expect(refused.standardError == "ondo roles add-login: the password is empty\n")
    }
}

/// How many migration files the repository ships.
let shippedMigrations =
    (try? FileManager.default.contentsOfDirectory(atPath: TestPostgres.migrationsDirectory.path))?
    .filter { $0.hasSuffix(".sql") }.count ?? -1
