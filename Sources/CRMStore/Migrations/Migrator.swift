import Foundation
import Logging
import Postgres

/// Applies the forward-only migrations in `sql/` and records them in the ledger `ondo_meta.schema_migrations`.
///
/// Each file runs in its own transaction together with its ledger row, so a file is applied entirely or not
/// at all. Advisory locks serialise concurrent runs (``MigrationLock``): on a direct connection a session-level lock
/// held throughout, so the second run waits, then finds nothing to do; in every transaction a transaction-level one,
/// after which the ledger is read again and a file another run applied meanwhile is skipped, so that runs through a
/// transaction pooler apply each file once too. A file changed after it was applied is refused (its SHA-256 no longer
/// matches the ledger).
/// Run it as an administrator (a superuser, or a CREATEROLE role owning the database): the first migration
/// creates the group roles.
public struct Migrator: Sendable {
    /// The migrations of this build, by version.
    public let files: [MigrationFile]
    private let logger: Logger
    /// How long a migration waits for a lock on a table (`lock_timeout`) before it is rolled back. A migration
    /// waiting for a table that another session keeps locked (a BI tool's transaction left open on a report view
    /// locks the tables behind it) queues an exclusive lock request that every later statement on that table waits
    /// behind, the workers' and the shop's triggers' included: waiting must be short.
    public var lockTimeout: Duration = .seconds(5)
    /// How often a migration whose lock wait timed out is tried, a second apart, before `migrate` fails.
    public var lockAttempts = 3
    /// Where ``files`` came from, named when the database has a migration they lack.
    public var origin = MigrationFilesOrigin.build
    /// The command that runs this migration again, named when a second run can succeed (a table lock released, an
    /// object given to ondo_owner): the caller's, with the options that reach this database (`ondo migrate
    /// --embedded`), since a bare `ondo migrate` goes to whichever database the environment names.
    public var migrateCommand = "ondo migrate"

    /// The advisory lock key (`pg_advisory_lock`, `pg_advisory_xact_lock`: see ``MigrationLock``) taken while migrating:
    /// the ASCII of "ONDOMIGR".
    public static let advisoryLockKey: Int64 = 0x4F4E_444F_4D49_4752

    /// A migrator for the given files.
    public init(files: [MigrationFile], logger: Logger) {
        self.files = files.sorted { $0.version < $1.version }
        self.logger = logger
    }

    /// A migrator for the files in `directory`.
    public init(directory: URL, logger: Logger) throws {
        self.init(files: try MigrationFile.load(from: directory), logger: logger)
    }

    /// Compares the ledger with the files, without changing anything.
    public func status(on connection: PostgresConnection) throws -> MigrationStatus {
        let ledger = try asAdministrator("read the migration ledger ondo_meta.schema_migrations", connection) {
            try readLedger(connection)
        }
        var entries: [MigrationStatus.Entry] = []
        for file in files {
            if let row = ledger[file.version] {
                entries.append(
                    .init(
                        version: file.version, fileName: file.fileName,
                        state: row.checksum == file.checksum ? .applied : .changed, appliedAt: row.appliedAt,
                        appliedBy: row.appliedBy))
            } else {
                entries.append(.init(version: file.version, fileName: file.fileName, state: .pending))
            }
        }
        for (version, row) in ledger where !files.contains(where: { $0.version == version }) {
            entries.append(
                .init(
                    version: version, fileName: row.name, state: .missingFile, appliedAt: row.appliedAt,
                    appliedBy: row.appliedBy))
        }
        return MigrationStatus(entries: entries.sorted { $0.version < $1.version })
    }

    /// Applies every pending migration (or, with `dryRun`, only reports which ones it would apply).
    ///
    /// Throws `MigrationError` before applying anything when an applied file was changed or the database has a
    /// migration this build lacks; throws `.migrationFailed` (with the `PostgresError`) when a file's SQL fails,
    /// after the files before it were committed (listed in the error's `appliedBeforeFailure`).
    public func migrate(on connection: PostgresConnection, dryRun: Bool = false) throws -> MigrationReport {
        if try status(on: connection).pending.contains(where: { $0.version == 1 }) {
            try refuseSchemasInTheWay(connection)
        }
        if dryRun {
            let status = try status(on: connection)
            try check(status)
            return MigrationReport(
                applied: files.filter { file in status.pending.contains { $0.version == file.version } },
                alreadyApplied: status.entries.count - status.pending.count, waitedForLock: false, dryRun: true)
        }
        let lock = try MigrationLock.choose(on: connection)
        var waited = try asAdministrator("take the migration lock", connection) {
            try lock.takeForSession(connection, logger: logger)
        }
        defer { lock.releaseSession(connection) }
        waited =
            try inLockedTransaction("create the migration ledger (schema ondo_meta)", lock, connection) {
                try createLedger(connection)
            }.waited || waited
        let status = try status(on: connection)
        try check(status)
        let pending = files.filter { file in status.pending.contains { $0.version == file.version } }
        var applied: [MigrationFile] = []
        for file in pending {
            do {
                let outcome = try apply(file, lock, on: connection)
                waited = waited || outcome.waited
                if outcome.applied { applied.append(file) }
            } catch var error as MigrationError {
                error.appliedBeforeFailure = applied
                throw error
            }
        }
        return MigrationReport(
            applied: applied, alreadyApplied: status.entries.count - applied.count, waitedForLock: waited,
            dryRun: false)
    }

    /// Runs `body` in a READ COMMITTED transaction that first takes the migration lock, without a statement timeout.
    /// A missing privilege is refused naming the step that lacked it.
    private func inLockedTransaction<Result>(
        _ step: String, _ lock: MigrationLock, _ connection: PostgresConnection, _ body: () throws -> Result
    ) throws -> (result: Result, waited: Bool) {
        var failedStep = "take the migration lock"
        return try asAdministrator(failedStep, connection) {
            try connection.withTransaction(.readCommitted) { connection in
                try connection.execute("SELECT pg_catalog.set_config('statement_timeout', '0', true)")
                let waited = try lock.takeInTransaction(connection, logger: logger)
                failedStep = step
                return (try body(), waited)
            }
        }
    }

    /// Applies `file`, or skips it when another run applied it while this one waited for the lock.
    private func apply(
        _ file: MigrationFile, _ lock: MigrationLock, on connection: PostgresConnection
    ) throws -> (applied: Bool, waited: Bool) {
        for attempt in 1... {
            do {
                return try applyOnce(file, lock, on: connection)
            } catch let error as MigrationError
                where (error.underlying as? PostgresError)?.sqlState == Self.lockNotAvailable
            {
                guard attempt < lockAttempts else {
                    throw MigrationError(
                        code: .migrationFailed,
                        message: "migration \(file.fileName) waited \(lockTimeout) for a table lock \(attempt) times "
                            + "and was rolled back, so as not to hold up the sessions queued behind it. Sessions "
                            + "holding locks on Ondo's tables now: \(lockHolders(connection)). End their "
                            + "transactions (or wait for them), then run `\(migrateCommand)` again",
                        underlying: error.underlying)
                }
                logger.warning(
                    "a migration waited too long for a table lock; trying again",
                    metadata: ["ondo.migration": "\(file.fileName)", "ondo.attempt": "\(attempt)"])
                Thread.sleep(forTimeInterval: 1)
            }
        }
        preconditionFailure("unreachable: the loop returns or throws")
    }

    /// SQLSTATE `55P03`: `lock_timeout` passed.
    static let lockNotAvailable = "55P03"

    /// The other sessions holding a lock on a relation in Ondo's schemas: pid, login, and what the server lets this
    /// role see of their state and program.
    private func lockHolders(_ connection: PostgresConnection) -> String {
        let holders = try? connection.query(
            """
            SELECT DISTINCT a.pid, a.usename::text AS login, a.state, a.application_name
            FROM pg_catalog.pg_locks AS l
            JOIN pg_catalog.pg_class AS c ON c.oid = l.relation
            JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
            JOIN pg_catalog.pg_stat_activity AS a ON a.pid = l.pid
            WHERE l.granted AND n.nspname IN ('shop', 'crm', 'report', 'ondo_meta')
              AND l.database = (SELECT d.oid FROM pg_catalog.pg_database AS d
                                WHERE d.datname = pg_catalog.current_database())
              AND a.pid <> pg_catalog.pg_backend_pid()
            ORDER BY a.pid
            """
        ).map { row in
            let state = try row.decode(String?.self, "state").map { ", \($0)" } ?? ""
            let program = try row.decode(String?.self, "application_name").flatMap { $0.isEmpty ? nil : ", \($0)" }
            return "pid \(try row.decode(Int32.self, "pid")) (\(try row.decode(String?.self, "login") ?? "?")"
                + "\(state)\(program ?? ""))"
        }
        guard let holders else { return "unknown (they could not be read)" }
        return holders.isEmpty ? "none any more" : holders.joined(separator: "; ")
    }

    private func applyOnce(
        _ file: MigrationFile, _ lock: MigrationLock, on connection: PostgresConnection
    ) throws -> (applied: Bool, waited: Bool) {
        var started = Date()
        var waited = false
        do {
            // READ COMMITTED: the ledger read after the lock sees what the run that held it committed.
            let applied = try connection.withTransaction(.readCommitted) { connection -> Bool in
                try connection.execute("SELECT pg_catalog.set_config('statement_timeout', '0', true)")
                waited = try lock.takeInTransaction(connection, logger: logger)
                let status = try status(on: connection)
                try check(status)
                guard status.pending.contains(where: { $0.version == file.version }) else { return false }
                started = Date()  // execution_ms leaves out the wait for the migration lock
                let lockWait = String(Int(lockTimeout / .milliseconds(1)))
                try connection.execute("SELECT pg_catalog.set_config('lock_timeout', \(lockWait), true)")
                try connection.runScript(file.sql)
                try connection.execute("RESET ROLE")
                let milliseconds = Int(Date().timeIntervalSince(started) * 1000)
                try connection.execute(
                    """
                    INSERT INTO ondo_meta.schema_migrations (version, name, checksum, execution_ms)
                    VALUES (\(file.version), \(file.fileName), \(file.checksum), \(milliseconds))
                    """)
                return true
            }
            guard applied else {
                logger.info(
                    "another ondo migrate applied this migration meanwhile",
                    metadata: ["ondo.migration": "\(file.fileName)"])
                return (false, waited)
            }
        } catch let error as PostgresError {
            var message = "migration \(file.fileName) failed and was rolled back: \(error)"
            if error.hasSQLState(PostgresError.SQLState.insufficientPrivilege) {
                let login = Self.currentLogin(connection)
                // A superuser lacks nothing: the file's statements ran as ondo_owner (SET LOCAL ROLE), and what they
                // touched belongs to another role. Telling it to use an administrator's connection sent it nowhere.
                message +=
                    Self.isSuperuser(connection)
                    ? ". The login \(login) is a superuser, but the file runs as ondo_owner (SET LOCAL ROLE), which "
                        + "may not do this: what it changes belongs to another role, not to ondo_owner (an object "
                        + "made by hand in Ondo's schemas?). Give it to ondo_owner (ALTER … OWNER TO ondo_owner) or "
                        + "remove it, then run `\(migrateCommand)` again"
                    : ". The login \(login) lacks a privilege it needs: " + Self.administratorNeeded
            }
            throw MigrationError(code: .migrationFailed, message: message, underlying: error)
        }
        logger.info(
            "applied migration",
            metadata: [
                "ondo.migration": "\(file.fileName)",
                "ondo.milliseconds": "\(Int(Date().timeIntervalSince(started) * 1000))",
            ])
        return (true, waited)
    }

    /// Before the first migration: refuses a database that already has a schema `shop`, `crm` or `report` of another
    /// owner (the database's own, from before Ondo). Migration 0001 failed on it with "must be owner of schema shop"
    /// and advice to use an administrator's connection, which a superuser already is.
    private func refuseSchemasInTheWay(_ connection: PostgresConnection) throws {
        let foreign = try connection.query(
            """
            SELECT n.nspname::text AS schema, pg_catalog.pg_get_userbyid(n.nspowner)::text AS owner
            FROM pg_catalog.pg_namespace AS n
            WHERE n.nspname IN ('shop', 'crm', 'report')
              AND n.nspowner IS DISTINCT FROM (SELECT r.oid FROM pg_catalog.pg_roles AS r WHERE r.rolname = 'ondo_owner')
            ORDER BY n.nspname
            """
        ).map { "\(try $0.decode(String.self, "schema")) (owned by \(try $0.decode(String.self, "owner")))" }
        guard !foreign.isEmpty else { return }
        throw MigrationError(
            code: .schemaInTheWay,
            message: "the database already has the schema \(foreign.joined(separator: ", ")), which Ondo's "
                + "migrations did not create: Ondo keeps its objects in the schemas shop, crm and report, owned by "
                + "ondo_owner, and needs them to itself. Migrate a database of Ondo's own (CREATE DATABASE ondo), "
                + "or rename that schema; nothing was changed")
    }

    private func check(_ status: MigrationStatus) throws {
        if let refusal = status.refusal(filesFrom: origin) { throw refusal }
    }

    /// Runs `body`, a step before any migration file that needs an administrator; PostgreSQL's bare "permission
    /// denied for database ondo" (a login of the server's or the shop's given to `ondo migrate`) becomes a sentence
    /// naming the login, what it may not do, and the connection `ondo migrate` needs.
    private func asAdministrator<Result>(
        _ step: @autoclosure () -> String, _ connection: PostgresConnection, _ body: () throws -> Result
    ) throws -> Result {
        do {
            return try body()
        } catch let error as PostgresError where error.hasSQLState(PostgresError.SQLState.insufficientPrivilege) {
            throw MigrationError(
                code: .notAnAdministrator,
                message: "the login \(Self.currentLogin(connection)) may not \(step()) (PostgreSQL: \(error.message)). "
                    + Self.administratorNeeded,
                underlying: error)
        }
    }

    /// What `ondo migrate` needs, for a refusal on a missing privilege.
    private static let administratorNeeded =
        "ondo migrate needs an administrator's connection, a superuser or a role with CREATEROLE that owns the "
        + "database: set ONDO_ADMIN_DATABASE_URL to its URL, or pass it with --database-url"

    /// The connection's login, for a refusal (after a failed transaction has been rolled back).
    private static func currentLogin(_ connection: PostgresConnection) -> String {
        (try? connection.queryValue(String.self, "SELECT current_user::text")) ?? "in use"
    }

    /// Whether the connection's login is a superuser (false when that cannot be read).
    private static func isSuperuser(_ connection: PostgresConnection) -> Bool {
        (try? connection.queryValue(
            Bool.self, "SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user")) ?? false
    }

    private func createLedger(_ connection: PostgresConnection) throws {
        try connection.runScript(
            """
            CREATE SCHEMA IF NOT EXISTS ondo_meta;
            COMMENT ON SCHEMA ondo_meta IS 'Ondo''s migration ledger, written by ondo migrate.';
            CREATE TABLE IF NOT EXISTS ondo_meta.schema_migrations (
                version      integer PRIMARY KEY,
                name         text NOT NULL,
                checksum     text NOT NULL,
                applied_at   timestamptz NOT NULL DEFAULT now(),
                applied_by   text NOT NULL DEFAULT session_user,
                execution_ms integer
            );
            """)
    }

    private struct LedgerRow {
        var name: String
        var checksum: String
        var appliedAt: Date
        var appliedBy: String
    }

    private func readLedger(_ connection: PostgresConnection) throws -> [Int: LedgerRow] {
        let exists = try connection.queryValue(
            Bool.self, "SELECT pg_catalog.to_regclass('ondo_meta.schema_migrations') IS NOT NULL")
        guard exists else { return [:] }
        var ledger: [Int: LedgerRow] = [:]
        for row in try connection.query(
            "SELECT version, name, checksum, applied_at, applied_by FROM ondo_meta.schema_migrations")
        {
            ledger[try row.decode(Int.self, "version")] = LedgerRow(
                name: try row.decode(String.self, "name"), checksum: try row.decode(String.self, "checksum"),
                appliedAt: try row.decode(Date.self, "applied_at"), appliedBy: try row.decode(String.self, "applied_by")
            )
        }
        return ledger
    }
}
