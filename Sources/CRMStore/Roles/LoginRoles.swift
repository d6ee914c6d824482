import Postgres

/// Creates the login users that people and programs connect as, each a member of one Ondo group role.
public enum LoginRoles {
    /// What `addLogin` did.
    public enum Outcome: Sendable, Hashable {
        /// A new login role was created.
        case created
        /// The role existed; it can now log in, is a member of the group and of no other Ondo group, and has the new
        /// password (if given).
        case updated
    }

    /// Creates (or updates) login `name` as a member of `role`. Run as an administrator with CREATEROLE.
    ///
    /// A login belongs to one Ondo group: updating an existing login revokes its membership in the other groups
    /// of ``OndoRole``, in the same transaction (memberships in roles that are not Ondo's are left alone).
    ///
    /// The password is turned into a SCRAM verifier by libpq on this side (`PQencryptPasswordConn`), so the
    /// server, its logs and `pg_stat_activity` never see it. `nil` leaves the login without a password (for peer or
    /// certificate authentication), removing the one an existing login had. An existing role that is a superuser, a member of `ondo_owner`, has an attribute an Ondo login
    /// may not have (BYPASSRLS, REPLICATION, CREATEROLE, CREATEDB), or has members (who would inherit the group
    /// through it) is refused with a ``RoleRefusal``
    /// (``ExistingRole/refusal``), and so is any login on a cluster where `ondo migrate` has not created Ondo's
    /// group roles yet.
    public static func addLogin(
        name: String, role: OndoRole, password: String?, on connection: PostgresConnection,
        migrate: String = "ondo migrate"
    ) throws -> Outcome {
        try validate(name)
        return try connection.withTransaction { connection in
            try refuseNonAdministrator(on: connection)
            try GroupRolesPresence.require(OndoRole.allCases.map(\.rawValue), on: connection, migrate: migrate)
            try refuseUnusable(name: name, on: connection)
            let verifier = try password.map { try connection.encryptPassword($0, user: name) } ?? ""
            let existed = try connection.queryValue(
                Bool.self, "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = \(name))")
            try connection.execute(
                """
                SELECT pg_catalog.set_config('ondo.login_name', \(name), true),
                       pg_catalog.set_config('ondo.login_group', \(role.rawValue), true),
                       pg_catalog.set_config('ondo.login_verifier', \(verifier), true),
                       pg_catalog.set_config('ondo.login_all_groups', \(allGroups), true)
                """)
            try connection.runScript(script)
            return existed ? .updated : .created
        }
    }

    /// The password in `text` (a password file's content or a line read from standard input): its first line,
    /// without the line break — LF, CRLF or CR, as the connecting side reads a password file; a carriage return
    /// kept in the password would lock the login out.
    public static func passwordLine(_ text: String) -> String {
        String(text.unicodeScalars.prefix { $0 != "\n" && $0 != "\r" })
    }

    /// Why `name` cannot be a login name, or nil when it can: 1 to 63 bytes without NUL, not starting with `pg_` or
    /// `ondo_` in any case. Checked before connecting (the CLI refuses such a name as a usage error) and again by
    /// ``addLogin(name:role:password:on:)``.
    public static func nameProblem(_ name: String) -> String? {
        guard !name.isEmpty, name.utf8.count <= 63, !name.utf8.contains(0) else {
            return "a login name must have 1 to 63 bytes (\(name.utf8.count) given)"
        }
        // Any case: role names are case-sensitive, and `ONDO_OWNER` would read as the owner role in logs.
        let lowercased = name.lowercased()
        if lowercased.hasPrefix("pg_") {
            return "the login name \(name) starts with pg_, which is reserved for PostgreSQL's built-in roles: "
                + "choose another name"
        }
        if lowercased.hasPrefix("ondo_") {
            return "the login name \(name) starts with ondo_, which is reserved for Ondo's group roles "
                + "(ondo_owner, ondo_app, ondo_shop, ondo_report): choose another name"
        }
        return nil
    }

    private static func validate(_ name: String) throws {
        if let problem = nameProblem(name) { throw RoleRefusal(problem) }
    }

    /// Throws a ``RoleRefusal`` in words when the connection's login may not create or change roles: the server's or
    /// the shop's login (`ONDO_DATABASE_URL` without `ONDO_ADMIN_DATABASE_URL`) got PostgreSQL's bare "PostgreSQL
    /// server 42501: permission denied to create role", with nothing about the connection it needs.
    private static func refuseNonAdministrator(on connection: PostgresConnection) throws {
        let row = try connection.query(
            """
            SELECT current_user::text AS login, rolsuper OR rolcreaterole AS administrator
            FROM pg_catalog.pg_roles WHERE rolname = current_user
            """)[0]
        guard try !row.decode(Bool.self, "administrator") else { return }
        throw RoleRefusal(
            "the login \(try row.decode(String.self, "login")) may not create or change roles (it is neither a "
                + "superuser nor has CREATEROLE); nothing was changed. ondo roles add-login needs an administrator's "
                + "connection: set ONDO_ADMIN_DATABASE_URL to its URL, or pass it with --database-url")
    }

    /// Throws a ``RoleRefusal`` in words when `name` is a role Ondo may not make a login (``ExistingRole/refusal``);
    /// the script below checks the worst cases again, as a backstop.
    private static func refuseUnusable(name: String, on connection: PostgresConnection) throws {
        let rows = try connection.query(
            """
            SELECT r.rolsuper, r.rolbypassrls, r.rolreplication, r.rolcreaterole, r.rolcreatedb,
                   CASE WHEN pg_catalog.to_regrole('ondo_owner') IS NULL THEN false
                        ELSE pg_catalog.pg_has_role(r.oid, 'ondo_owner', 'MEMBER') END AS owner_member,
                   ARRAY(SELECT u.rolname::text FROM pg_catalog.pg_auth_members AS m
                         JOIN pg_catalog.pg_roles AS u ON u.oid = m.member
                         WHERE m.roleid = r.oid ORDER BY u.rolname) AS members
            FROM pg_catalog.pg_roles AS r WHERE r.rolname = \(name)
            """)
        guard let row = rows.first else { return }
        var existing = ExistingRole(name: name)
        existing.isSuperuser = try row.decode(Bool.self, "rolsuper")
        existing.bypassesRowSecurity = try row.decode(Bool.self, "rolbypassrls")
        existing.canReplicate = try row.decode(Bool.self, "rolreplication")
        existing.canCreateRoles = try row.decode(Bool.self, "rolcreaterole")
        existing.canCreateDatabases = try row.decode(Bool.self, "rolcreatedb")
        existing.isOwnerMember = try row.decode(Bool.self, "owner_member")
        existing.members = try row.decode([String].self, "members")
        if let refusal = existing.refusal { throw refusal }
    }

    /// Every group a login can be given, comma-separated (the names hold no commas).
    private static let allGroups = OndoRole.allCases.map(\.rawValue).joined(separator: ",")

    // The values arrive through transaction-local settings, because utility statements take no bind parameters;
    // format(%I/%L) quotes them.
    private static let script = """
        DO $login$
        DECLARE
            login_name text := pg_catalog.current_setting('ondo.login_name');
            group_name text := pg_catalog.current_setting('ondo.login_group');
            verifier   text := pg_catalog.current_setting('ondo.login_verifier');
            all_groups text[] := pg_catalog.string_to_array(pg_catalog.current_setting('ondo.login_all_groups'), ',');
            existing   record;
            other      name;
        BEGIN
            SELECT rolsuper, rolbypassrls INTO existing FROM pg_catalog.pg_roles WHERE rolname = login_name;
            IF FOUND THEN
                IF existing.rolsuper OR existing.rolbypassrls THEN
                    RAISE EXCEPTION 'role % is a superuser or bypasses row security; it cannot become an Ondo login',
                        login_name USING ERRCODE = '42501';
                END IF;
                -- The owner's members (directly or through another role) own every Ondo object, whatever group
                -- they join; the membership stays, since an administrator migrates through it.
                IF pg_catalog.pg_has_role(login_name, 'ondo_owner', 'MEMBER') THEN
                    RAISE EXCEPTION 'role % is a member of ondo_owner; it cannot become an Ondo login', login_name
                        USING ERRCODE = '42501';
                END IF;
                -- Its members would inherit the group through it.
                IF EXISTS (SELECT 1 FROM pg_catalog.pg_auth_members AS m
                           JOIN pg_catalog.pg_roles AS g ON g.oid = m.roleid WHERE g.rolname = login_name) THEN
                    RAISE EXCEPTION 'role % has members; it cannot become an Ondo login', login_name
                        USING ERRCODE = '42501';
                END IF;
                EXECUTE pg_catalog.format('ALTER ROLE %I LOGIN NOCREATEDB NOCREATEROLE NOREPLICATION', login_name);
            ELSE
                EXECUTE pg_catalog.format(
                    'CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS', login_name);
            END IF;
            -- No verifier (--no-password): the login has no password afterwards; an old one would still let it in.
            IF verifier <> '' THEN
                EXECUTE pg_catalog.format('ALTER ROLE %I PASSWORD %L', login_name, verifier);
            ELSE
                EXECUTE pg_catalog.format('ALTER ROLE %I PASSWORD NULL', login_name);
            END IF;
            EXECUTE pg_catalog.format('GRANT %I TO %I', group_name, login_name);
            -- One Ondo group per login: revoke the other Ondo groups it is a member of.
            FOR other IN
                SELECT g.rolname FROM pg_catalog.pg_auth_members AS m
                JOIN pg_catalog.pg_roles AS g ON g.oid = m.roleid
                JOIN pg_catalog.pg_roles AS u ON u.oid = m.member
                WHERE u.rolname = login_name AND g.rolname = ANY (all_groups) AND g.rolname <> group_name
            LOOP
                EXECUTE pg_catalog.format('REVOKE %I FROM %I', other, login_name);
            END LOOP;
        END
        $login$;
        """
}
