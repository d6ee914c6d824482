import Foundation
import Postgres
import TestSupport
import Testing

/// `ondo roles add-login NAME` where NAME is an existing role that Ondo must not make a login. Whether it is one
/// depends on the database, not on the command line, so it is a run-time failure (exit status 1), but in Ondo's words:
/// the role, why it is refused, what to do instead; not "PostgreSQL server 42501: role … is a superuser or bypasses
/// row security; …", and nothing changes.
@Suite struct AddLoginRefusalTests {
    @Test func anExistingRoleOndoMayNotUseIsRefusedInWords() async throws {
        let db = try await TestPostgres.shared.database("CLIRoles")
        let suffix = UInt32.random(in: 0...UInt32.max)
        // The test server's superuser, as whom the command connects.
        let admin = try await db.withConnection { try $0.queryValue(String.self, "SELECT current_user::text") }
        let cases: [(name: String, create: PostgresQuery?, refusal: String, advice: String)] = [
            (
                admin, nil, "\(admin) is an existing superuser role",
                "choose a new name for the login, and keep \(admin) for administration"
            ),
            (
                "cli_super_\(suffix)", "SUPERUSER", "cli_super_\(suffix) is an existing superuser role",
                "choose a new name for the login"
            ),
            (
                "cli_owner_\(suffix)", "IN ROLE ondo_owner",
                "cli_owner_\(suffix) is an existing role that is a member of ondo_owner",
                "keep cli_owner_\(suffix) for running ondo migrate"
            ),
            (
                "cli_bypass_\(suffix)", "BYPASSRLS", "cli_bypass_\(suffix) is an existing role with BYPASSRLS",
                "(ALTER ROLE cli_bypass_\(suffix) NOBYPASSRLS;)"
            ),
            (
                "cli_admin_\(suffix)", "CREATEROLE CREATEDB",
                "cli_admin_\(suffix) is an existing role with CREATEROLE, CREATEDB",
                "(ALTER ROLE cli_admin_\(suffix) NOCREATEROLE NOCREATEDB;)"
            ),
            (
                "cli_replica_\(suffix)", "REPLICATION", "cli_replica_\(suffix) is an existing role with REPLICATION",
                "(ALTER ROLE cli_replica_\(suffix) NOREPLICATION;)"
            ),
            // Its member (the admin, made one for the test) would inherit the group through it.
            (
                "cli_group_\(suffix)", "ROLE \(identifier: admin)",
                "cli_group_\(suffix) is an existing role with 1 member (\(admin))",
                "create a separate login with a new name, and keep cli_group_\(suffix) for its members"
            ),
        ]
        for (name, create, refusal, advice) in cases {
            let before = try await db.withConnection { connection in
                if let create { try connection.execute("CREATE ROLE \(identifier: name) NOLOGIN \(create)") }
                return try Self.attributes(of: name, on: connection)
            }
            let outcome = try await OndoExecutable.run(
                ["roles", "add-login", name, "--role", "app", "--no-password"], environment: db.environment(as: .admin))
            let after = try await db.withConnection { connection in
                defer { if create != nil { _ = try? connection.execute("DROP ROLE \(identifier: name)") } }
                return try Self.attributes(of: name, on: connection)
            }
            let text = outcome.standardError
            #expect(outcome.status == 1, "\(name): exit \(outcome.status): \(text)")
            #expect(text.hasPrefix("ondo roles add-login: \(refusal)"), "\(name): \(text)")
            #expect(text.contains("so it cannot become") && text.contains("nothing was changed"), "\(name): \(text)")
            #expect(text.contains(advice), "\(name): \(text)")
            #expect(!text.contains("PostgreSQL") && !text.contains("Usage:"), "\(name): \(text)")
            #expect(after == before, "\(name) changed")
        }
    }

    /// The administrator the README asks for need not be a superuser: a role with CREATEROLE will do. Such an
    /// administrator cannot take REPLICATION or BYPASSRLS away (only a superuser can), so a script that tried would
    /// fail as "PostgreSQL server 42501: must be superuser …": it is refused in the same words as for a superuser
    /// administrator, exit 1, and the role is left as it was.
    @Test func aNonSuperuserAdministratorIsRefusedInTheSameWords() async throws {
        let db = try await TestPostgres.shared.database("CLIRoles")
        let suffix = UInt32.random(in: 0...UInt32.max)
        let administrator = "cli_createrole_\(suffix)"
        try await db.withConnection { admin in
            try admin.execute("CREATE ROLE \(identifier: administrator) LOGIN CREATEROLE NOSUPERUSER")
        }
        defer {
            Task { try? await db.withConnection { try $0.execute("DROP ROLE \(identifier: administrator)") } }
        }
        var environment = db.environment(as: .admin)
        var url = try PostgresConnectionString(db.connectionString(as: .admin))
        url["user"] = administrator
        environment["ONDO_DATABASE_URL"] = url.conninfo
        let cases: [(name: String, attribute: PostgresQuery, refusal: String)] = [
            ("cli_replica_ns_\(suffix)", "REPLICATION", "REPLICATION"),
            ("cli_bypass_ns_\(suffix)", "BYPASSRLS", "BYPASSRLS"),
        ]
        for (name, attribute, refusal) in cases {
            let before = try await db.withConnection { connection in
                try connection.execute("CREATE ROLE \(identifier: name) NOLOGIN \(attribute)")
                return try Self.attributes(of: name, on: connection)
            }
            let outcome = try await OndoExecutable.run(
                ["roles", "add-login", name, "--role", "app", "--no-password"], environment: environment)
            let after = try await db.withConnection { connection in
                defer { _ = try? connection.execute("DROP ROLE \(identifier: name)") }
                return try Self.attributes(of: name, on: connection)
            }
            let text = outcome.standardError
            #expect(outcome.status == 1, "\(name): exit \(outcome.status): \(text)")
            #expect(
                text.hasPrefix(
                    "ondo roles add-login: \(name) is an existing role with \(refusal), which an Ondo login may not "
                        + "have, so it cannot become one"), "\(name): \(text)")
            #expect(text.contains("nothing was changed"), "\(name): \(text)")
            #expect(!text.contains("PostgreSQL") && !text.contains("Usage:"), "\(name): \(text)")
            #expect(after == before, "\(name) changed")
        }
    }

    /// The server's login given to add-login (only ONDO_DATABASE_URL set) got "PostgreSQL server 42501: permission
    /// denied to create role", naming neither the login nor the connection the command needs.
    @Test func aLoginThatMayNotCreateRolesIsToldWhichConnectionToUse() async throws {
        let db = try await TestPostgres.shared.database("CLIRoles")
        let name = "cli_by_app_\(UInt32.random(in: 0...UInt32.max))"
        let app = try #require(db.userName(.app))
        let outcome = try await OndoExecutable.run(
            ["roles", "add-login", name, "--role", "report", "--no-password"], environment: db.environment(as: .app))
        let created = try await db.withConnection { connection in
            try connection.queryValue(Bool.self, "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = \(name))")
        }
        let text = outcome.standardError
        #expect(outcome.status == 1, "exit \(outcome.status): \(text)")
        #expect(
            text.hasPrefix("ondo roles add-login: the login \(app) may not create or change roles"), "\(text)")
        #expect(text.contains("set ONDO_ADMIN_DATABASE_URL") && !text.contains("42501"), "\(text)")
        #expect(!created)
    }

    /// `ondo_owner` itself is refused by its name before connecting (a usage error, as every `ondo_` name).
    @Test func theOwnerRoleIsRefusedByItsName() async throws {
        let db = try await TestPostgres.shared.database("CLIRoles")
        let outcome = try await OndoExecutable.run(
            ["roles", "add-login", "ondo_owner", "--role", "report", "--no-password"],
            environment: db.environment(as: .admin))
        #expect(outcome.status == 64, "exit \(outcome.status): \(outcome.standardError)")
        #expect(
            outcome.standardError.hasPrefix("Error: the login name ondo_owner starts with ondo_, which is reserved"),
            "\(outcome.standardError)")
    }

    /// What add-login could change about a role: whether it logs in, its attributes, its Ondo groups.
    private static func attributes(of name: String, on connection: PostgresConnection) throws -> String {
        try connection.queryValue(
            String.self,
            """
            SELECT concat_ws(' ', rolcanlogin, rolsuper, rolbypassrls, rolreplication, rolcreaterole, rolcreatedb,
                             pg_has_role(oid, 'ondo_app', 'MEMBER'), pg_has_role(oid, 'ondo_report', 'MEMBER'))
            FROM pg_roles WHERE rolname = \(name)
            """)
    }
}
