import Postgres

/// Takes back what PostgreSQL grants to `PUBLIC` and Ondo's roles do not need, on a database that holds only the
/// shop and Ondo (`ondo roles harden`): `CONNECT` and `TEMPORARY` on the database, and `EXECUTE` on the
/// advisory-lock functions, which only the roles that take Ondo's locks keep.
///
/// Not part of the migrations: these rights are database-wide, other applications on a shared database may rely
/// on them, and the functions belong to the bootstrap superuser, so only a superuser can change their grants.
public enum DatabaseHardening {
    /// One grant or revoke that hardening makes (or would make).
    public struct Change: Sendable, Hashable, CustomStringConvertible {
        /// `true` for a grant to one of Ondo's roles, `false` for a revoke from `PUBLIC`.
        public let isGrant: Bool
        /// The privilege and its object, for example `TEMPORARY on database ondo`.
        public let subject: String
        /// The role that gains or loses it (`PUBLIC` for revokes).
        public let grantee: String
        /// The statement that makes the change, quoted by the server (`format(%I)`, `regprocedure`).
        let statement: String
        /// For the revoke of `TEMPORARY` from `PUBLIC`: the logins that had it only through `PUBLIC` and will still
        /// connect (``loginsLosingTemporary(on:)``); empty otherwise.
        public var loginsLosingIt: [String] = []

        /// `revoke TEMPORARY on database ondo from PUBLIC`, and who loses it with `PUBLIC`.
        public var description: String {
            isGrant
                ? "grant \(subject) to \(grantee)"
                : "revoke \(subject) from \(grantee)" + losers(verb: "lose it")
        }

        /// `revoked TEMPORARY on database ondo from PUBLIC`, and who lost it with `PUBLIC`.
        public var pastTense: String {
            isGrant
                ? "granted \(subject) to \(grantee)"
                : "revoked \(subject) from \(grantee)" + losers(verb: "lost it")
        }

        private func losers(verb: String) -> String {
            guard !loginsLosingIt.isEmpty else { return "" }
            return "; logins that had it only through PUBLIC \(verb): \(loginsLosingIt.joined(separator: ", ")) "
                + "(grant it to one by name if it needs temporary tables)"
        }
    }

    /// Database rights each group keeps once `PUBLIC` loses them (migration 0001 grants the same; granted again
    /// here in case someone revoked them since).
    static let databaseGrants: [(role: String, privilege: String)] = [
        (owner, "CONNECT"), (owner, "TEMPORARY"),
        (OndoRole.app.rawValue, "CONNECT"), (OndoRole.shop.rawValue, "CONNECT"), (OndoRole.report.rawValue, "CONNECT"),
    ]

    /// The advisory-lock functions Ondo calls, and who calls them: the workers' per-customer locks
    /// (`CustomerStateStore`, as `ondo_app`) and the migration locks (`MigrationLock`, as the administrator, who is a
    /// superuser or, since migration 0001, a member of `ondo_owner`): session-level on a direct connection,
    /// transaction-level in every transaction.
    static let functionGrants: [(role: String, signature: String)] = [
        (OndoRole.app.rawValue, "pg_catalog.pg_advisory_xact_lock(integer, integer)"),
        (OndoRole.app.rawValue, "pg_catalog.pg_try_advisory_xact_lock(integer, integer)"),
        (owner, "pg_catalog.pg_advisory_lock(bigint)"),
        (owner, "pg_catalog.pg_try_advisory_lock(bigint)"),
        (owner, "pg_catalog.pg_advisory_unlock(bigint)"),
        (owner, "pg_catalog.pg_advisory_xact_lock(bigint)"),
        (owner, "pg_catalog.pg_try_advisory_xact_lock(bigint)"),
    ]

    /// The role that owns Ondo's objects (not an ``OndoRole``: no login joins it).
    private static let owner = "ondo_owner"

    /// What is still open on the connected database, in the order hardening changes it (grants to Ondo's roles
    /// before revokes from `PUBLIC`); empty when the database is hardened. Needs no special rights.
    public static func openChanges(on connection: PostgresConnection, migrate: String = "ondo migrate") throws
        -> [Change]
    {
        try checkPrerequisites(on: connection, migrate: migrate)
        return try connection.query(
            """
            WITH wanted_database AS (
                SELECT w.role_name, w.privilege, pg_catalog.to_regrole(w.role_name)::pg_catalog.oid AS role_id
                FROM ROWS FROM (
                    pg_catalog.unnest(\(databaseGrants.map(\.role))),
                    pg_catalog.unnest(\(databaseGrants.map(\.privilege)))) AS w(role_name, privilege)
            ), wanted_function AS (
                SELECT w.role_name, pg_catalog.to_regprocedure(w.signature) AS function_id,
                       pg_catalog.to_regrole(w.role_name)::pg_catalog.oid AS role_id
                FROM ROWS FROM (
                    pg_catalog.unnest(\(functionGrants.map(\.role))),
                    pg_catalog.unnest(\(functionGrants.map(\.signature)))) AS w(role_name, signature)
            ), this_database AS (
                SELECT d.datname, pg_catalog.aclexplode(COALESCE(d.datacl, pg_catalog.acldefault('d', d.datdba))) AS acl
                FROM pg_catalog.pg_database AS d WHERE d.datname = pg_catalog.current_database()
            ), advisory_function AS (
                SELECT p.oid::pg_catalog.regprocedure AS function_id,
                       pg_catalog.aclexplode(COALESCE(p.proacl, pg_catalog.acldefault('f', p.proowner))) AS acl
                FROM pg_catalog.pg_proc AS p
                WHERE p.pronamespace = 'pg_catalog'::pg_catalog.regnamespace
                  AND p.proname ~ '^pg_(try_)?advisory_'
            )
            SELECT * FROM (
                SELECT 1 AS step, true AS is_grant,
                       w.privilege || ' on database ' || pg_catalog.current_database() AS subject,
                       w.role_name AS grantee,
                       pg_catalog.format('GRANT %s ON DATABASE %I TO %I',
                           w.privilege, pg_catalog.current_database(), w.role_name) AS statement
                FROM wanted_database AS w
                WHERE NOT EXISTS (
                    SELECT 1 FROM this_database AS d
                    WHERE (d.acl).grantee = w.role_id AND (d.acl).privilege_type = w.privilege)
                UNION ALL
                SELECT 2, true, 'EXECUTE on function ' || w.function_id::pg_catalog.regprocedure::text, w.role_name,
                       pg_catalog.format('GRANT EXECUTE ON FUNCTION %s TO %I',
                           w.function_id::pg_catalog.regprocedure, w.role_name)
                FROM wanted_function AS w
                JOIN pg_catalog.pg_proc AS p ON p.oid = w.function_id
                WHERE NOT EXISTS (
                    SELECT 1 FROM pg_catalog.aclexplode(COALESCE(p.proacl, pg_catalog.acldefault('f', p.proowner))) AS a
                    WHERE a.grantee = w.role_id AND a.privilege_type = 'EXECUTE')
                UNION ALL
                SELECT 3, false, (d.acl).privilege_type || ' on database ' || d.datname, 'PUBLIC',
                       pg_catalog.format('REVOKE %s ON DATABASE %I FROM PUBLIC', (d.acl).privilege_type, d.datname)
                FROM this_database AS d
                WHERE (d.acl).grantee = 0 AND (d.acl).privilege_type IN ('CONNECT', 'TEMPORARY')
                UNION ALL
                SELECT 4, false, 'EXECUTE on function ' || f.function_id::text, 'PUBLIC',
                       pg_catalog.format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', f.function_id)
                FROM advisory_function AS f
                WHERE (f.acl).grantee = 0 AND (f.acl).privilege_type = 'EXECUTE'
            ) AS open
            ORDER BY step, subject, grantee
            """
        ).map { row in
            var change = Change(
                isGrant: try row.decode(Bool.self, "is_grant"), subject: try row.decode(String.self, "subject"),
                grantee: try row.decode(String.self, "grantee"), statement: try row.decode(String.self, "statement"))
            if !change.isGrant && change.subject.hasPrefix("TEMPORARY on database ") {
                change.loginsLosingIt = try loginsLosingTemporary(on: connection)
            }
            return change
        }
    }

    /// The logins that may create temporary tables in this database only because `PUBLIC` may, and so lose that
    /// silently when hardening revokes it (a program that keeps scratch tables would then fail with 42501): not
    /// superusers, granted `TEMPORARY` neither by name nor through a role whose rights they have (`INHERIT`) nor
    /// through `ondo_owner` (which hardening grants it to), and still able to connect once hardening is done (the
    /// logins it locks out are ``loginsLockedOut(on:)``). Whether one ever made a temporary table is not recorded
    /// anywhere, so every such login is named. Empty when `PUBLIC` has no `TEMPORARY` to lose. Needs no special
    /// rights.
    public static func loginsLosingTemporary(on connection: PostgresConnection) throws -> [String] {
        try connection.query(
            """
            WITH \(thisDatabaseACL), \(grantees("temporary_grantee", of: "TEMPORARY")),
                 \(grantees("connect_grantee", of: "CONNECT"))
            SELECT r.rolname::text AS login FROM pg_catalog.pg_roles AS r
            WHERE r.rolcanlogin AND NOT r.rolsuper AND \(publicHas("TEMPORARY"))
              AND NOT EXISTS (
                  SELECT 1 FROM temporary_grantee AS t WHERE pg_catalog.pg_has_role(r.oid, t.role_id, 'USAGE'))
              AND EXISTS (
                  SELECT 1 FROM connect_grantee AS c WHERE pg_catalog.pg_has_role(r.oid, c.role_id, 'USAGE'))
            ORDER BY r.rolname
            """
        ).map { try $0.decode(String.self, "login") }
    }

    /// The logins that can connect to this database only because `PUBLIC` may, and so cannot once hardening revokes
    /// it: not superusers, granted `CONNECT` neither by name nor through a role whose rights they have (`INHERIT`),
    /// and in none of Ondo's groups (which hardening grants it to). A program of the shop's that never joined
    /// `ondo_shop` is one. Empty when `PUBLIC` has no `CONNECT` to lose. Needs no special rights.
    public static func loginsLockedOut(on connection: PostgresConnection) throws -> [String] {
        try connection.query(
            """
            WITH \(thisDatabaseACL), \(grantees("connect_grantee", of: "CONNECT"))
            SELECT r.rolname::text AS login FROM pg_catalog.pg_roles AS r
            WHERE r.rolcanlogin AND NOT r.rolsuper AND \(publicHas("CONNECT"))
              AND NOT EXISTS (
                  SELECT 1 FROM connect_grantee AS c WHERE pg_catalog.pg_has_role(r.oid, c.role_id, 'USAGE'))
            ORDER BY r.rolname
            """
        ).map { try $0.decode(String.self, "login") }
    }

    /// The CTE `this_database(acl)`: one row for each entry of this database's access list (the default list when
    /// none was ever set).
    private static let thisDatabaseACL: PostgresQuery = """
        this_database AS (
            SELECT pg_catalog.aclexplode(COALESCE(d.datacl, pg_catalog.acldefault('d', d.datdba))) AS acl
            FROM pg_catalog.pg_database AS d WHERE d.datname = pg_catalog.current_database()
        )
        """

    /// The CTE `name(role_id)`: the roles granted `privilege` on this database by name (PUBLIC aside), and Ondo's
    /// groups that hardening grants it to. Needs ``thisDatabaseACL`` before it.
    private static func grantees(_ name: String, of privilege: String) -> PostgresQuery {
        let groups = databaseGrants.filter { $0.privilege == privilege }.map(\.role)
        return """
            \(identifier: name) AS (
                SELECT (d.acl).grantee AS role_id FROM this_database AS d
                WHERE (d.acl).privilege_type = \(privilege) AND (d.acl).grantee <> 0
                UNION
                SELECT pg_catalog.to_regrole(g)::pg_catalog.oid FROM pg_catalog.unnest(\(groups)) AS g
                WHERE pg_catalog.to_regrole(g) IS NOT NULL
            )
            """
    }

    /// Whether PUBLIC has `privilege` on this database (a condition over ``thisDatabaseACL``).
    private static func publicHas(_ privilege: String) -> PostgresQuery {
        """
        EXISTS (SELECT 1 FROM this_database AS d WHERE (d.acl).grantee = 0 AND (d.acl).privilege_type = \(privilege))
        """
    }

    /// Makes every change ``openChanges(on:)`` lists, in one transaction, then checks that nothing is left open;
    /// returns what it changed (nothing when run again) and the logins it locked out. Refused unless connected as a
    /// superuser, and, unless `lockingOut`, when a login would lose `CONNECT` (``loginsLockedOut(on:)``): nothing
    /// changes then.
    public static func harden(
        on connection: PostgresConnection, lockingOut: Bool = false, migrate: String = "ondo migrate"
    ) throws -> (
        changes: [Change], lockedOut: [String]
    ) {
        try connection.withTransaction { connection in
            let user = try connection.queryValue(String.self, "SELECT current_user::text")
            guard
                try connection.queryValue(
                    Bool.self, "SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user")
            else {
                throw RoleRefusal(
                    "hardening needs a superuser connection (connected as \(user)): the advisory-lock "
                        + "functions belong to the bootstrap superuser, and only a superuser can change who may "
                        + "execute them; nothing was changed")
            }
            let changes = try openChanges(on: connection, migrate: migrate)
            let lockedOut = try loginsLockedOut(on: connection)
            guard lockingOut || lockedOut.isEmpty else {
                let database = try connection.queryValue(String.self, "SELECT pg_catalog.current_database()::text")
                throw RoleRefusal(
                    "\(lockedOut.count) login(s) connect only because PUBLIC may, and could not connect any "
                        + "more: \(lockedOut.joined(separator: ", ")). Grant one CONNECT by name "
                        + "(GRANT CONNECT ON DATABASE \(database) TO \(lockedOut[0]);) or add it to an Ondo group if "
                        + "it needs this database, or pass --lock-out-others to lock them out; nothing was changed")
            }
            for change in changes {
                try connection.execute(PostgresQuery(unsafeSQL: change.statement))
            }
            let left = try openChanges(on: connection)
            guard left.isEmpty else {
                throw PostgresError(
                    code: .unexpectedResponse,
                    message:
                        "still open after hardening (rolled back): \(left.map(\.description).joined(separator: "; "))")
            }
            return (changes, lockedOut)
        }
    }

    /// Refuses a database Ondo has not migrated (its group roles are missing) or a server without the
    /// advisory-lock functions Ondo calls.
    private static func checkPrerequisites(on connection: PostgresConnection, migrate: String) throws {
        try GroupRolesPresence.require(Array(Set(databaseGrants.map(\.role))), on: connection, migrate: migrate)
        let missingFunctions = try connection.queryValue(
            [String].self,
            """
            SELECT COALESCE(pg_catalog.array_agg(s ORDER BY s), '{}')
            FROM pg_catalog.unnest(\(functionGrants.map(\.signature))) AS s WHERE pg_catalog.to_regprocedure(s) IS NULL
            """)
        guard missingFunctions.isEmpty else {
            throw PostgresError(
                code: .unexpectedResponse,
                message: "this server has no \(missingFunctions.joined(separator: ", "))")
        }
    }
}
