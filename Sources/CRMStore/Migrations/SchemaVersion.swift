import Postgres

/// The database schema this build's code is written for, and a check that a database has exactly it.
///
/// `ondo migrate` reads the migration files at run time, but the code that uses the schema is compiled in:
/// a server started on a database that misses a migration can fail on a table or column it expects, and one
/// started on a database a newer Ondo migrated may write what that version no longer reads. Both are refused
/// at start, with the command that fixes it.
public enum SchemaVersion {
    /// The number of the newest migration (`sql/NNNN_*.sql`) this build was written against. A test keeps it
    /// equal to the newest file in `sql/`.
    public static let expected = 30

    /// Why a database's schema does not fit this build; nil when it does. `migrate` is the command named to fix
    /// it: a command whose options chose its database names them too (`ondo migrate --embedded`).
    public static func mismatch(on connection: PostgresConnection, migrate: String = "ondo migrate") throws -> String? {
        // A login outside ondo_app (a report or shop login, say) may not look into ondo_meta at all: without this,
        // the lookup below fails with PostgreSQL's bare "permission denied for schema ondo_meta".
        // A login in ondo_app may lack the role's rights too: a dump restored before its roles existed loses every
        // grant to them (README, "Backups"), and joining the role it is already in would not help.
        let readable = try connection.query(
            """
            SELECT current_user AS login,
                   (SELECT pg_catalog.has_schema_privilege(oid, 'USAGE') FROM pg_catalog.pg_namespace
                    WHERE nspname = 'ondo_meta') AS readable,
                   CASE WHEN EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'ondo_app')
                        THEN pg_catalog.pg_has_role('ondo_app', 'USAGE') ELSE false END AS in_app_role
            """)[0]
        if try readable.decode(Bool?.self, "readable") == false {
            let login = try readable.decode(String.self, "login")
            if try readable.decode(Bool.self, "in_app_role") {
                return "the login \(login) is in role ondo_app but may not read Ondo's schema: this database lacks "
                    + "the rights Ondo's migrations grant that role (a dump restored before its roles existed loses "
                    + "them): restore the roles first, then the dump"
            }
            return "the login \(login) may not read Ondo's schema (it is not in role ondo_app): use a login in "
                + "ondo_app, which an administrator adds with `ondo roles add-login NAME --role app`"
        }
        return try ledgerMismatch(on: connection, migrate: migrate)
    }

    /// ``mismatch(on:)`` for a login known to be allowed to read `ondo_meta`: the ledger's newest migration against
    /// ``expected``.
    static func ledgerMismatch(on connection: PostgresConnection, migrate: String) throws -> String? {
        let hasLedger = try connection.queryValue(
            Bool.self, "SELECT pg_catalog.to_regclass('ondo_meta.schema_migrations') IS NOT NULL")
        guard hasLedger else {
            return "the database has no Ondo schema: run `\(migrate)` first"
        }
        let newest = try connection.queryValue(
            Int?.self, "SELECT max(version)::int8 FROM ondo_meta.schema_migrations")
        switch newest {
        case nil:
            return "the database has no Ondo schema: run `\(migrate)` first"
        case let applied? where applied < expected:
            return "the database's schema is at migration \(applied) and this ondo needs \(expected): "
                + "run `\(migrate)` first"
        case let applied? where applied > expected:
            return "the database was migrated by a newer Ondo (migration \(applied); this ondo knows up to "
                + "\(expected)): run that version of ondo, or newer"
        default:
            return try gapMismatch(on: connection, migrate: migrate)
        }
    }

    /// The migrations below ``expected`` that a database at ``expected`` lacks: an `ondo migrate` run from a folder
    /// missing a file applied the later ones without it, and the code here relies on every one of them.
    private static func gapMismatch(on connection: PostgresConnection, migrate: String) throws -> String? {
        let missing = try connection.query(
            """
            SELECT number::int8 AS version FROM pg_catalog.generate_series(1, \(expected)) AS number
            WHERE number NOT IN (SELECT version FROM ondo_meta.schema_migrations) ORDER BY number
            """
        ).map { try $0.decode(Int.self, "version") }
        guard !missing.isEmpty else { return nil }
        return "the database's schema lacks migration(s) \(missing.map(String.init).joined(separator: ", ")) below "
            + "its newest, \(expected) (an ondo migrate ran from a folder that lacked them): see `\(migrate) --status`"
    }
}
