import EmbeddedPostgres
import Foundation
import OndoServer
import Postgres
import TestSupport
import Testing

/// The embedded default: created, migrated, reused, reset; `--embedded` on the other commands; root's fallback.
@Suite(.serialized) struct EmbeddedDatabaseTests {
    @Test func createsReusesAndResetsTheCluster() async throws {
        let folder = try DemoFolder("embedded-reuse")
        defer { folder.remove() }
        let options = EmbeddedDatabase.Options(directory: folder.dataDirectory, environment: [:])
        let migrations = TestPostgres.migrationsDirectory
        let logger = TestPostgres.logger

        let first = try await BlockingWork.run {
            try EmbeddedDatabase.start(options: options, migrations: migrations, logger: logger)
        }
        #expect(first.created)
        // A listen URL configured for another database is the pooler's way past it: not the private cluster's.
        var configured = DatabaseSettings()
        configured.listenUrl = "host=/run/postgresql dbname=production"
        let settings = first.databaseSettings(from: configured)
        #expect(
            try settings.postgresConfiguration(for: .notifications).connectionString
                == settings.postgresConfiguration(for: .application).connectionString)
        try await BlockingWork.run {
            let app = try PostgresConnection(
                configuration: settings.postgresConfiguration(for: .application), logger: logger)
            defer { app.close() }
            #expect(try app.queryValue(String.self, "SELECT current_user") == EmbeddedDatabase.applicationLogin)
            #expect(try app.queryValue(Bool.self, "SELECT pg_has_role('ondo_app', 'MEMBER')"))
            let admin = try PostgresConnection(
                configuration: settings.postgresConfiguration(for: .administration), logger: logger)
            defer { admin.close() }
            try admin.execute("SET ROLE ondo_shop")
            try admin.execute("INSERT INTO shop.customers (id, name) VALUES (1, '김민준')")
        }
        try await BlockingWork.run { try first.stop() }
        #expect(folder.postmasterPID == nil)

        let again = try await BlockingWork.run {
            try EmbeddedDatabase.start(options: options, migrations: migrations, logger: logger)
        }
        #expect(!again.created)
        #expect(again.notes.contains { $0.contains("using the private PostgreSQL cluster in \(folder.dataDirectory)") })
        let kept = try await Self.customerCount(again)
        try await BlockingWork.run { try again.stop() }
        #expect(kept == 1, "a second start reuses the data")

        let resetting = EmbeddedDatabase.Options(directory: folder.dataDirectory, reset: true, environment: [:])
        let fresh = try await BlockingWork.run {
            try EmbeddedDatabase.start(options: resetting, migrations: migrations, logger: logger)
        }
        let left = try await Self.customerCount(fresh)
        try await BlockingWork.run { try fresh.stop() }
        #expect(fresh.created)
        #expect(left == 0, "--reset starts clean")
    }

    /// Two commands started at the same moment on a stopped cluster: one of them used to fail (both ran `initdb`, or
    /// `pg_ctl start`); the second now waits for the first (``StartLock``) and shares its cluster.
    @Test func twoStartsAtTheSameMomentShareOneCluster() async throws {
        let folder = try DemoFolder("embedded-together")
        defer { folder.remove() }
        let options = EmbeddedDatabase.Options(directory: folder.dataDirectory, environment: [:])
        let migrations = TestPostgres.migrationsDirectory
        let logger = TestPostgres.logger
        let outcomes = await withTaskGroup(of: Result<EmbeddedDatabase, any Error>.self) { group in
            for _ in 0..<2 {
                group.addTask {
                    do {
                        return .success(
                            try await BlockingWork.run {
                                try EmbeddedDatabase.start(options: options, migrations: migrations, logger: logger)
                            })
                    } catch {
                        return .failure(error)
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let started = outcomes.compactMap { try? $0.get() }
        for case .failure(let error) in outcomes { Issue.record("a start failed: \(error)") }
        #expect(started.count == 2)
        #expect(started.filter(\.created).count == 1, "one created the cluster, the other shared it")
        #expect(started.contains { $0.notes.contains { $0.contains("another ondo process runs") } })
        // Whichever stops first leaves the cluster to the other, the last one out, which stops it: here the starter
        // first (it used to stop the cluster under the sharer).
        let postmaster = try #require(folder.postmasterPID)
        for database in started.sorted(by: { $0.created && !$1.created }) {
            try await BlockingWork.run { try database.stop() }
            let left = folder.postmasterPID.map { "postmaster \($0) runs" } ?? "no postmaster"
            print("stopped the \(database.created ? "starter" : "sharer"): \(left)")
            if database.created {
                #expect(folder.postmasterPID == postmaster, "the starter stopped it under the sharer")
            }
        }
        #expect(folder.postmasterPID == nil)
    }

    @Test func everyDatabaseCommandTakesEmbedded() async throws {
        let folder = try DemoFolder("embedded-commands")
        defer { folder.remove() }
        let embedded = ["--embedded", "--embedded-dir", folder.dataDirectory]
        // `migrate` does the migrating itself: on a new cluster the status shows every file pending, the dry run
        // changes nothing, and the real run applies them.
        let pending = try await OndoExecutable.run(["migrate", "--status"] + embedded, directory: folder.path)
        #expect(pending.status == 0, "stderr: \(pending.standardError)")
        #expect(pending.standardError.contains("creating a private PostgreSQL cluster"))
        #expect(
            pending.standardOutput.contains(try Regex("0001_roles_and_schemas.sql +pending")),
            "\(pending.standardOutput)")
        // The hint is the command that migrates this cluster: it said "run `ondo migrate`", which went elsewhere.
        #expect(
            pending.standardOutput.hasSuffix(
                " pending: run `ondo migrate --embedded --embedded-dir \(folder.dataDirectory)`\n"),
            "\(pending.standardOutput.suffix(200))")
        let hinted = try #require(try ShellHint.ondoArguments(in: pending.standardOutput))
        let dryRun = try await OndoExecutable.run(["migrate", "--dry-run"] + embedded, directory: folder.path)
        #expect(dryRun.standardOutput.contains("would apply 0001_roles_and_schemas.sql"), "\(dryRun.standardOutput)")
        let migrate = try await OndoExecutable.run(hinted, directory: folder.path)
        #expect(migrate.status == 0, "stderr: \(migrate.standardError)")
        #expect(migrate.standardOutput.contains("applied 0001_roles_and_schemas.sql"), "\(migrate.standardOutput)")
        #expect(migrate.standardOutput.contains("is up to date: applied"))

        let generate = try await OndoExecutable.run(
            ["generate", "--customers", "50", "--products", "10", "--orders", "100", "--reviews", "40"] + embedded,
            directory: folder.path)
        #expect(generate.status == 0, "stderr: \(generate.standardError)")
        for command in [["reviews", "status"], ["customer", "list"], ["states", "recompute"]] {
            let outcome = try await OndoExecutable.run(command + embedded, directory: folder.path)
            #expect(outcome.status == 0, "ondo \(command.joined(separator: " ")): \(outcome.standardError)")
        }
        let status = try await OndoExecutable.run(["reviews", "status"] + embedded, directory: folder.path)
        #expect(status.standardOutput.contains("backlog               40"), "\(status.standardOutput)")
        #expect(folder.postmasterPID == nil, "each command stopped the cluster")

        let both = try await OndoExecutable.run(
            ["migrate", "--embedded", "--database-url", "host=/nowhere"], directory: folder.path)
        #expect(both.status != 0)
        #expect(both.standardError.contains("--embedded and --database-url cannot be combined"))
    }

    @Test(.enabled(if: geteuid() == 0, "only root has to hand the cluster to another user"))
    func asRootAFolderClosedToThePostgresUserFallsBackToVarTmp() async throws {
        let closed = try EmbeddedPostgres.makeTemporaryDirectory(prefix: "ondo-closed")  // mode 0700, like /root
        defer { try? FileManager.default.removeItem(atPath: closed) }
        let requested = closed + "/clone/.ondo/postgres"
        let placement = try EmbeddedPostgres.placement(for: requested)
        defer {
            // The lock files beside the fallback folder too: each run left a pair in /var/tmp.
            for path in [
                placement.dataDirectory, placement.dataDirectory + ".start-lock",
                placement.dataDirectory + ".users-lock",
            ] {
                try? FileManager.default.removeItem(atPath: path)
            }
        }
        #expect(
            placement.dataDirectory.hasPrefix("/var/tmp/ondo-postgres-")
                || placement.dataDirectory.hasPrefix("/tmp/ondo-postgres-"))
        #expect(placement.note?.contains("\(closed) is closed to the user") == true, "\(placement.note ?? "no note")")
        #expect(try EmbeddedPostgres.placement(for: requested) == placement, "a later run finds the same folder")

        let migrate = try await OndoExecutable.run(
            ["migrate", "--embedded", "--embedded-dir", requested], directory: closed)
        #expect(migrate.status == 0, "stderr: \(migrate.standardError)")
        #expect(migrate.standardError.contains("lives in \(placement.dataDirectory) instead"))
        #expect(!FileManager.default.fileExists(atPath: placement.dataDirectory + "/postmaster.pid"))
    }

    static func customerCount(_ database: EmbeddedDatabase) async throws -> Int {
        let configuration = try database.databaseSettings(from: DatabaseSettings()).postgresConfiguration(
            for: .application)
        return try await BlockingWork.run {
            let connection = try PostgresConnection(configuration: configuration, logger: TestPostgres.logger)
            defer { connection.close() }
            return try connection.queryValue(Int.self, "SELECT count(*) FROM shop.customers")
        }
    }
}
