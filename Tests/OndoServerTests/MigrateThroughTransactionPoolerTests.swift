import CRMStore
import EmbeddedPostgres
import Foundation
import Postgres
import TestSupport
import Testing

/// `ondo migrate` through a PgBouncer in transaction pooling mode, where each transaction may run on another server
/// connection: a session-level lock taken by one statement serialises nothing, and stays held by the pooled server
/// connection it happened to run on. Two runs started together on an empty database must still apply each migration
/// once, both succeed, and leave no advisory lock held behind the pooler.
@Suite(.enabled(if: TransactionPooler.isInstalled, "needs PgBouncer (/usr/sbin/pgbouncer)"))
struct MigrateThroughTransactionPoolerTests {
    /// With one server connection the two runs' statements take turns on it (a session lock taken there is re-entrant
    /// for the other run); with four they run at once on connections of their own.
    @Test(arguments: [1, 4])
    func twoRunsThroughATransactionPoolerApplyEachMigrationOnce(serverConnections: Int) async throws {
        let base = try TestClusterFolder.make(prefix: "ondo-pooled-migrate")
        let (server, pooler) = try await runBlocking {
            try Self.startClusterAndPooler(in: base, serverConnections: serverConnections)
        }
        defer {
            pooler.stop()
            try? server.stop()
            try? FileManager.default.removeItem(atPath: base)
        }
        let direct = PostgresConfiguration(connectionString: server.connectionString(database: "ondo"))
        let environment = ["ONDO_DATABASE_URL": pooler.connectionString]

        // A direct session holds the migration lock until both runs have connected to the pooler and one waits for
        // the lock on the server (the other waits for it too, or for the pooler's only server connection).
        let gate = LockedBox<PostgresConnection?>(nil)
        try await runBlocking {
            let connection = try PostgresConnection(configuration: direct, logger: TestPostgres.logger)
            try connection.execute("SELECT pg_catalog.pg_advisory_lock(\(Migrator.advisoryLockKey))")
            gate.mutate { $0 = connection }
        }
        let runs = try [
            OndoProcess.start(["migrate"], environment: environment),
            OndoProcess.start(["migrate"], environment: environment),
        ]
        var waiting = 0
        for _ in 0..<1_000 where waiting < 1 || pooler.clientLogins < 2 {
            waiting = try await runBlocking {
                let check = try PostgresConnection(configuration: direct, logger: TestPostgres.logger)
                defer { check.close() }
                return try check.queryValue(
                    Int.self, "SELECT count(*) FROM pg_catalog.pg_locks WHERE locktype = 'advisory' AND NOT granted")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        try await runBlocking { gate.mutate { $0?.close() } }  // ending the session releases the lock

        var outcomes: [OndoExecutable.Outcome] = []
        for run in runs {
            do { outcomes.append(try await run.waitForExit(seconds: 90)) } catch {
                run.signal(SIGKILL)
                Issue.record("an ondo migrate through the pooler still ran after 90 s: \(run.output())")
            }
        }
        for outcome in outcomes {
            print(
                "ondo tests: migrate through the pooler (\(serverConnections) server connection(s)): exit "
                    + "\(outcome.status)\n\(outcome.standardOutput)\(outcome.standardError)")
        }
        let (ledger, advisoryLocks) = try await runBlocking {
            let check = try PostgresConnection(configuration: direct, logger: TestPostgres.logger)
            defer { check.close() }
            // Asked while PgBouncer still keeps its server connections open: a lock one of them held would show.
            let locks = try check.query(
                "SELECT pid, objid::text AS key FROM pg_catalog.pg_locks WHERE locktype = 'advisory'"
            ).map { "pid \(try $0.decode(Int32.self, "pid")) holds key \(try $0.decode(String.self, "key"))" }
            return (try check.queryValue(Int.self, "SELECT count(*) FROM ondo_meta.schema_migrations"), locks)
        }
        #expect(waiting >= 1, "a run waited for the lock")
        #expect(outcomes.map(\.status) == [0, 0], "\(outcomes.map(\.standardError))")
        let appliedLines = outcomes.flatMap { $0.standardOutput.split(separator: "\n") }.filter {
            $0.hasPrefix("applied ")
        }
        #expect(appliedLines.count == shippedMigrations, "each file applied by one run: \(appliedLines)")
        #expect(Set(appliedLines).count == appliedLines.count, "no file applied twice: \(appliedLines)")
        #expect(ledger == shippedMigrations)
        #expect(advisoryLocks.isEmpty, "advisory locks left held behind the pooler: \(advisoryLocks)")
    }

    /// A non-superuser administrator (CREATEROLE, owning the database) on a database hardened by an `ondo roles
    /// harden` that did not grant `ondo_owner` the transaction-level lock functions yet (revoked from PUBLIC, granted
    /// to no one): through the pooler `ondo migrate` refuses, saying what to do, and changes nothing; directly it
    /// migrates under the session lock, as before.
    @Test func aPooledLoginWithoutTheTransactionLockIsRefusedAndMigratesDirectly() async throws {
        let base = try TestClusterFolder.make(prefix: "ondo-pooled-refusal")
        let (server, pooler) = try await runBlocking {
            try Self.startClusterAndPooler(in: base, serverConnections: 2)
        }
        defer {
            pooler.stop()
            try? server.stop()
            try? FileManager.default.removeItem(atPath: base)
        }
        let direct = PostgresConfiguration(connectionString: server.connectionString(database: "ondo"))
        try await runBlocking {
            let setup = try PostgresConnection(configuration: direct, logger: TestPostgres.logger)
            defer { setup.close() }
            try setup.execute(PostgresQuery(unsafeSQL: "CREATE ROLE \(Self.administrator) LOGIN CREATEROLE"))
            try setup.execute(PostgresQuery(unsafeSQL: "ALTER DATABASE ondo OWNER TO \(Self.administrator)"))
            try setup.execute(
                """
                REVOKE EXECUTE ON FUNCTION pg_catalog.pg_advisory_xact_lock(bigint),
                    pg_catalog.pg_try_advisory_xact_lock(bigint) FROM PUBLIC
                """)
        }
        var pooled = try PostgresConnectionString(pooler.connectionString)
        pooled["user"] = Self.administrator
        let refused = try await OndoExecutable.run(["migrate"], environment: ["ONDO_DATABASE_URL": pooled.conninfo])
        #expect(refused.status == 1)
        // Its lines: a warning that the pooler dropped statement_timeout, then the refusal.
        #expect(
            refused.standardError.split(separator: "\n").last?.hasPrefix(
                "ondo migrate: ondo migrate is connected through a connection pooler") == true,
            "\(refused.standardError)")
        #expect(refused.standardError.contains("Connect directly to PostgreSQL"), "\(refused.standardError)")
        #expect(refused.standardError.contains("nothing was changed"), "\(refused.standardError)")
        let ledgerAfterRefusal = try await runBlocking {
            let check = try PostgresConnection(configuration: direct, logger: TestPostgres.logger)
            defer { check.close() }
            return try check.queryValue(
                Bool.self, "SELECT pg_catalog.to_regclass('ondo_meta.schema_migrations') IS NOT NULL")
        }
        #expect(!ledgerAfterRefusal, "the refused run created nothing")

        let directURL = server.connectionString(database: "ondo", user: Self.administrator)
        let migrated = try await OndoExecutable.run(["migrate"], environment: ["ONDO_DATABASE_URL": directURL])
        #expect(migrated.status == 0, "\(migrated.standardError)")
        let (ledger, appliedBy, advisoryLocks) = try await runBlocking {
            let check = try PostgresConnection(configuration: direct, logger: TestPostgres.logger)
            defer { check.close() }
            return (
                try check.queryValue(Int.self, "SELECT count(*) FROM ondo_meta.schema_migrations"),
                try check.query("SELECT DISTINCT applied_by FROM ondo_meta.schema_migrations").map {
                    try $0.decode(String.self, "applied_by")
                },
                try check.queryValue(Int.self, "SELECT count(*) FROM pg_catalog.pg_locks WHERE locktype = 'advisory'")
            )
        }
        #expect(ledger == shippedMigrations)
        #expect(appliedBy == [Self.administrator])
        #expect(advisoryLocks == 0)
    }

    /// The non-superuser administrator of ``aPooledLoginWithoutTheTransactionLockIsRefusedAndMigratesDirectly()``.
    private static let administrator = "pooled_admin"

    /// A private cluster with an empty database `ondo`, and a transaction-pooling PgBouncer in front of it.
    private static func startClusterAndPooler(
        in base: String, serverConnections: Int
    ) throws -> (EmbeddedPostgres, TransactionPooler) {
        let server = try ThrowawayCluster.start(in: base, options: ThrowawayCluster.options(in: base))
        let setup = try PostgresConnection(
            configuration: PostgresConfiguration(connectionString: server.connectionString(database: "postgres")),
            logger: TestPostgres.logger)
        defer { setup.close() }
        try setup.execute("CREATE DATABASE ondo")
        let pooler = try TransactionPooler.start(
            database: "ondo", serverSocketDirectory: server.socketDirectory, serverPort: server.port,
            users: [server.superuser, administrator], poolSize: serverConnections)
        return (server, pooler)
    }
}
