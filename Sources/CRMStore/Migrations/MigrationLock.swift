import Logging
import Postgres

/// How `ondo migrate` serialises concurrent runs on one database: advisory locks on ``Migrator/advisoryLockKey``.
///
/// Every transaction of a run (the ledger's creation, each file's) first takes the transaction-level lock
/// (`pg_advisory_xact_lock`), then reads the ledger again: a file another run committed meanwhile is skipped, so each
/// file is applied once. That holds behind a transaction pooler (PgBouncer's `pool_mode = transaction`), which keeps a
/// transaction on one server connection but may run the next one on another. There a session-level lock serialised
/// nothing (another client's statement could run on the server connection holding it, where it is re-entrant), and it
/// stayed held by whichever pooled server connection had taken it, so that later runs waited for it.
///
/// On a direct connection the run also holds the session-level lock (`pg_advisory_lock`) from start to end, as it
/// always did, so that a second run waits for the whole first one and then finds nothing to do. A connection is direct
/// when the server process answering is the one the connection was given at start-up (`PQbackendPID`); a pooler such
/// as PgBouncer gives its clients a process id of its own.
struct MigrationLock: Equatable {
    /// Each transaction takes `pg_advisory_xact_lock`: false for a login that may not call the transaction-level
    /// functions (a non-superuser administrator on a database hardened by an older `ondo roles harden`).
    var perTransaction: Bool
    /// The run holds `pg_advisory_lock` throughout: on a direct connection, or when there is no transaction-level lock.
    var perSession: Bool

    static let key = Migrator.advisoryLockKey

    /// The locks to take on `connection`; refuses a pooled connection whose login may not take the transaction-level
    /// lock, the only one that serialises runs there.
    static func choose(on connection: PostgresConnection) throws -> MigrationLock {
        let row = try connection.query(
            """
            SELECT pg_catalog.pg_backend_pid() AS pid,
                   pg_catalog.has_function_privilege('pg_catalog.pg_advisory_xact_lock(bigint)', 'EXECUTE')
                   AND pg_catalog.has_function_privilege('pg_catalog.pg_try_advisory_xact_lock(bigint)', 'EXECUTE')
                   AS may_lock_transactions
            """
        ).first
        let direct = try row?.decode(Int32.self, "pid") == connection.backendPID
        let perTransaction = try row?.decode(Bool.self, "may_lock_transactions") ?? false
        guard perTransaction || direct else {
            throw MigrationError(
                code: .pooledWithoutTransactionLock,
                message: "ondo migrate is connected through a connection pooler (the server process answering is not "
                    + "the one the connection was given), where only a transaction-level lock keeps two runs apart, "
                    + "and the login \(Self.login(connection)) may not take one (EXECUTE on "
                    + "pg_advisory_xact_lock(bigint), revoked by an ondo roles harden of an older Ondo). Connect "
                    + "directly to PostgreSQL, or run ondo roles harden again with a superuser's connection (it grants "
                    + "the function to ondo_owner); nothing was changed")
        }
        return MigrationLock(perTransaction: perTransaction, perSession: direct || !perTransaction)
    }

    /// Takes the session-level lock (when ``perSession``). Returns true when it had to wait for another run.
    func takeForSession(_ connection: PostgresConnection, logger: Logger) throws -> Bool {
        guard perSession else { return false }
        if try connection.queryValue(Bool.self, "SELECT pg_catalog.pg_try_advisory_lock(\(Self.key))") {
            return false
        }
        logger.info("another migration is running; waiting for it to finish")
        // Outside a transaction: the statement timeout the run's transactions lift for themselves still applies.
        try connection.execute("SET statement_timeout = 0")
        defer { _ = try? connection.execute("RESET statement_timeout") }
        try connection.execute("SELECT pg_catalog.pg_advisory_lock(\(Self.key))")
        return true
    }

    /// Releases the session-level lock (when ``perSession``), quietly.
    func releaseSession(_ connection: PostgresConnection) {
        guard perSession else { return }
        _ = try? connection.execute("SELECT pg_catalog.pg_advisory_unlock(\(Self.key))")
    }

    /// Takes the transaction-level lock in the current transaction (when ``perTransaction``). Returns true when it had
    /// to wait for another run. Take it before setting `lock_timeout`, which would end the wait.
    func takeInTransaction(_ connection: PostgresConnection, logger: Logger) throws -> Bool {
        guard perTransaction else { return false }
        if try connection.queryValue(Bool.self, "SELECT pg_catalog.pg_try_advisory_xact_lock(\(Self.key))") {
            return false
        }
        logger.info("another migration is running; waiting for it")
        try connection.execute("SELECT pg_catalog.pg_advisory_xact_lock(\(Self.key))")
        return true
    }

    private static func login(_ connection: PostgresConnection) -> String {
        (try? connection.queryValue(String.self, "SELECT current_user::text")) ?? "in use"
    }
}
