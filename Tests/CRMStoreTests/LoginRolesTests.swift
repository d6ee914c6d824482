import CRMStore
import Foundation
import Postgres
import TestSupport
import Testing

/// Creating login users as members of the group roles.
@Suite struct LoginRolesTests {
    @Test func createsAndUpdatesALoginWithAScramPassword() async throws {
        let db = try await TestPostgres.shared.database("LoginRoles")
        let name = "login_test_\(UInt32.random(in: 0...UInt32.max))"
        defer {
            Task { try? await db.withConnection { try $0.execute("DROP ROLE IF EXISTS \(identifier: name)") } }
        }
        let (first, second, row, insertAsNewUser) = try await db.withConnection { admin in
            let first = try LoginRoles.addLogin(name: name, role: .shop, password: "correct horse 배터리", on: admin)
            let second = try LoginRoles.addLogin(name: name, role: .shop, password: "another one", on: admin)
            let row = try admin.query(
                """
                SELECT r.rolcanlogin, r.rolsuper, r.rolbypassrls, a.rolpassword,
                       pg_has_role(r.oid, 'ondo_shop', 'MEMBER') AS member
                FROM pg_roles r JOIN pg_authid a ON a.oid = r.oid WHERE r.rolname = \(name)
                """)[0]
            var asUser = db.configuration()
            asUser.user = name
            let conn = try PostgresConnection(configuration: asUser, logger: TestPostgres.logger)
            defer { conn.close() }
            let insert = sqlState {
                try conn.execute(
                    "INSERT INTO shop.reviews (customer_id, product_id, body) VALUES (1, 1, 'via new login')")
            }
            let crm = sqlState { try conn.execute("SELECT 1 FROM crm.review_work") }
            return (first, second, row, [insert, crm])
        }
        #expect(first == .created)
        #expect(second == .updated)
        #expect(try row.decode(Bool.self, "rolcanlogin"))
        #expect(try !row.decode(Bool.self, "rolsuper"))
        #expect(try !row.decode(Bool.self, "rolbypassrls"))
        #expect(try row.decode(Bool.self, "member"))
        #expect(try row.decode(String.self, "rolpassword").hasPrefix("SCRAM-SHA-256$"))
        #expect(insertAsNewUser == [nil, "42501"])
    }

    /// `--no-password` on an existing login (moving it to peer or certificate authentication): the old password kept
    /// working, although the command said it set none.
    @Test func addingAgainWithoutAPasswordRemovesTheOldOne() async throws {
        let db = try await TestPostgres.shared.database("LoginRoles")
        let name = "login_nopw_\(UInt32.random(in: 0...UInt32.max))"
        defer {
            Task { try? await db.withConnection { try $0.execute("DROP ROLE IF EXISTS \(identifier: name)") } }
        }
        let (before, after) = try await db.withConnection { admin in
            func hasPassword() throws -> Bool {
                try admin.queryValue(Bool.self, "SELECT rolpassword IS NOT NULL FROM pg_authid WHERE rolname = \(name)")
            }
            _ = try LoginRoles.addLogin(name: name, role: .report, password: "old secret", on: admin)
            let before = try hasPassword()
            _ = try LoginRoles.addLogin(name: name, role: .report, password: nil, on: admin)
            return (before, try hasPassword())
        }
        #expect(before)
        #expect(!after, "the old password still lets the login in")
    }

    @Test func addingAgainWithAnotherRoleLeavesOneMembership() async throws {
        let db = try await TestPostgres.shared.database("LoginRoles")
        let name = "login_move_\(UInt32.random(in: 0...UInt32.max))"
        defer {
            Task { try? await db.withConnection { try $0.execute("DROP ROLE IF EXISTS \(identifier: name)") } }
        }
        let groupsAfterEachAdd = try await db.withConnection { admin in
            func groups() throws -> [String] {
                try admin.query(
                    """
                    SELECT g.rolname FROM pg_auth_members m
                    JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member
                    WHERE u.rolname = \(name) ORDER BY g.rolname
                    """
                ).map { try $0.decode(String.self, "rolname") }
            }
            var seen: [[String]] = []
            for role in [OndoRole.shop, .report, .report, .app] {
                _ = try LoginRoles.addLogin(name: name, role: role, password: nil, on: admin)
                seen.append(try groups())
            }
            // A membership granted by hand in another Ondo group goes too; a non-Ondo group stays.
            try admin.execute("GRANT ondo_shop TO \(identifier: name)")
            try admin.execute("GRANT pg_read_all_stats TO \(identifier: name)")
            _ = try LoginRoles.addLogin(name: name, role: .app, password: nil, on: admin)
            seen.append(try groups())
            return seen
        }
        #expect(
            groupsAfterEachAdd == [
                ["ondo_shop"], ["ondo_report"], ["ondo_report"], ["ondo_app"], ["ondo_app", "pg_read_all_stats"],
            ])
    }

    @Test func refusesSuperusersAndReservedNames() async throws {
        let db = try await TestPostgres.shared.database("LoginRoles")
        let name = "login_super_\(UInt32.random(in: 0...UInt32.max))"
        let (superuser, reserved) = try await db.withConnection { admin in
            try admin.execute("CREATE ROLE \(identifier: name) SUPERUSER")
            defer { _ = try? admin.execute("DROP ROLE \(identifier: name)") }
            return (
                roleRefusal { _ = try LoginRoles.addLogin(name: name, role: .app, password: nil, on: admin) },
                roleRefusal { _ = try LoginRoles.addLogin(name: "ondo_owner", role: .app, password: nil, on: admin) }
            )
        }
        // Ondo's sentence, not the server's "PostgreSQL server 42501: …".
        #expect(
            superuser?.message.hasPrefix("\(name) is an existing superuser role") == true,
            "\(String(describing: superuser))")
        #expect(reserved?.message.contains("reserved") == true, "\(String(describing: reserved))")
    }

    /// A role that is a member of ondo_owner, directly or through another role, owns every Ondo object: made a
    /// report (or shop, or app) login it would still read, write and drop everything. The owner membership cannot
    /// be revoked for it either (an administrator migrates through it), so such a role is refused, and nothing
    /// changes: it joins no Ondo group.
    @Test func refusesRolesThatAreMembersOfTheOwner() async throws {
        let db = try await TestPostgres.shared.database("LoginRoles")
        let suffix = UInt32.random(in: 0...UInt32.max)
        let direct = "login_owner_\(suffix)"
        let viaGroup = "login_via_owner_\(suffix)"
        let group = "owner_group_\(suffix)"
        let outcomes = try await db.withConnection { admin in
            try admin.execute("CREATE ROLE \(identifier: direct) LOGIN IN ROLE ondo_owner")
            try admin.execute("CREATE ROLE \(identifier: group) NOLOGIN IN ROLE ondo_owner")
            try admin.execute("CREATE ROLE \(identifier: viaGroup) LOGIN IN ROLE \(identifier: group)")
            defer {
                for name in [direct, viaGroup, group] { _ = try? admin.execute("DROP ROLE \(identifier: name)") }
            }
            return try [direct, viaGroup].map { name in
                let error = roleRefusal {
                    _ = try LoginRoles.addLogin(name: name, role: .report, password: nil, on: admin)
                }
                let joined = try admin.queryValue(Bool.self, "SELECT pg_has_role(\(name), 'ondo_report', 'MEMBER')")
                return (error, joined)
            }
        }
        for (error, joined) in outcomes {
            #expect(error?.message.contains("is a member of ondo_owner") == true, "\(String(describing: error))")
            #expect(!joined)
        }
    }

    /// An existing role with an attribute no Ondo login may have was made a login with the attribute taken away:
    /// an administrator with CREATEROLE (the one connected, even) was demoted, a replication client stopped (and
    /// for an administrator that is not a superuser it failed as "PostgreSQL server 42501: must be superuser …").
    /// It is refused in words, naming the attributes and how to remove them, and the role is left as it was.
    @Test func refusesRolesWithAttributesALoginMayNotHave() async throws {
        let db = try await TestPostgres.shared.database("LoginRoles")
        let suffix = UInt32.random(in: 0...UInt32.max)
        // The attributes as given to CREATE ROLE, as the refusal names them, and as it says to remove them.
        let cases: [(name: String, options: PostgresQuery, attributes: String, removal: String)] = [
            ("login_bypass_\(suffix)", "BYPASSRLS", "BYPASSRLS", "NOBYPASSRLS"),
            ("login_replica_\(suffix)", "REPLICATION", "REPLICATION", "NOREPLICATION"),
            ("login_admin_\(suffix)", "CREATEROLE", "CREATEROLE", "NOCREATEROLE"),
            ("login_creator_\(suffix)", "CREATEDB", "CREATEDB", "NOCREATEDB"),
            ("Login_Both_\(suffix)", "REPLICATION CREATEROLE", "REPLICATION, CREATEROLE", "NOREPLICATION NOCREATEROLE"),
        ]
        let outcomes = try await db.withConnection { admin in
            try cases.map { (name, options, _, _) in
                try admin.execute("CREATE ROLE \(identifier: name) NOLOGIN \(options)")
                defer { _ = try? admin.execute("DROP ROLE \(identifier: name)") }
                let error = roleRefusal {
                    _ = try LoginRoles.addLogin(name: name, role: .app, password: nil, on: admin)
                }
                let unchanged = try admin.queryValue(
                    Bool.self,
                    """
                    SELECT NOT r.rolcanlogin AND NOT pg_has_role(r.oid, 'ondo_app', 'MEMBER')
                           AND (r.rolreplication OR r.rolcreaterole OR r.rolcreatedb OR r.rolbypassrls)
                    FROM pg_roles r WHERE r.rolname = \(name)
                    """)
                return (error, unchanged)
            }
        }
        for ((name, _, attributes, removal), (error, unchanged)) in zip(cases, outcomes) {
            let text = error?.message ?? "no refusal"
            #expect(
                text.hasPrefix("\(name) is an existing role with \(attributes), which an Ondo login may not have"),
                "\(text)")
            let quoted = name == name.lowercased() ? name : "\"\(name)\""
            #expect(text.contains("(ALTER ROLE \(quoted) \(removal);)"), "\(text)")
            // Only a superuser may change REPLICATION and BYPASSRLS; the advice says who can follow it.
            let needsSuperuser = attributes.contains("REPLICATION") || attributes.contains("BYPASSRLS")
            #expect(text.contains("or have a superuser remove") == needsSuperuser, "\(text)")
            #expect(unchanged, "\(name)")
        }
    }

    /// A role with members hands whatever it is granted on to them (they inherit it, or may SET ROLE to it): made
    /// an Ondo login, every member would gain the group's rights too. Such a role is refused, naming it and its
    /// members, and left exactly as it was; a role without members is still adopted.
    @Test func refusesRolesThatHaveMembers() async throws {
        let db = try await TestPostgres.shared.database("LoginRoles")
        let suffix = UInt32.random(in: 0...UInt32.max)
        let group = "login_group_\(suffix)"
        let member = "login_member_\(suffix)"
        let lonely = "login_lonely_\(suffix)"
        let (error, before, after, adopted) = try await db.withConnection { admin in
            try admin.execute("CREATE ROLE \(identifier: group) NOLOGIN")
            try admin.execute("CREATE ROLE \(identifier: member) LOGIN IN ROLE \(identifier: group)")
            try admin.execute("CREATE ROLE \(identifier: lonely) NOLOGIN")
            defer {
                for name in [member, group, lonely] { _ = try? admin.execute("DROP ROLE \(identifier: name)") }
            }
            // The role's attributes and Ondo groups, and its members.
            func state() throws -> String {
                try admin.queryValue(
                    String.self,
                    """
                    SELECT concat_ws(' ', r.rolcanlogin, r.rolsuper, r.rolbypassrls, r.rolreplication, r.rolcreaterole,
                                     r.rolcreatedb, r.rolpassword IS NOT NULL,
                                     pg_has_role(r.oid, 'ondo_app', 'MEMBER'),
                                     (SELECT string_agg(m.member::regrole::text, ',') FROM pg_auth_members m
                                      WHERE m.roleid = r.oid),
                                     (SELECT string_agg(m.roleid::regrole::text, ',') FROM pg_auth_members m
                                      WHERE m.member = r.oid))
                    FROM pg_authid r WHERE r.rolname = \(group)
                    """)
            }
            let before = try state()
            let error = roleRefusal {
                _ = try LoginRoles.addLogin(name: group, role: .app, password: "a password", on: admin)
            }
            let after = try state()
            let outcome = try LoginRoles.addLogin(name: lonely, role: .app, password: nil, on: admin)
            let joined = try admin.queryValue(
                Bool.self,
                "SELECT rolcanlogin AND pg_has_role(oid, 'ondo_app', 'MEMBER') FROM pg_roles WHERE rolname = \(lonely)")
            return (error, before, after, outcome == .updated && joined)
        }
        let text = error?.message ?? "no refusal"
        #expect(text.hasPrefix("\(group) is an existing role with 1 member (\(member))"), "\(text)")
        #expect(text.contains("so it cannot become an Ondo login"), "\(text)")
        #expect(text.contains("nothing was changed") && text.contains("create a separate login"), "\(text)")
        #expect(after == before, "\(before) became \(after)")
        #expect(before.hasSuffix(" \(member)"), "\(before)")
        #expect(adopted)
    }

    /// The refusal names a few members, then how many more, so a group of hundreds stays one readable sentence.
    @Test func aRoleWithManyMembersIsRefusedNamingAFew() {
        var role = ExistingRole(name: "staff")
        role.members = ["ann", "bob", "cy", "dee", "eve"]
        let many = role.refusal?.message ?? "no refusal"
        #expect(many.hasPrefix("staff is an existing role with 5 members (ann, bob, cy and 2 more), who"), "\(many)")
        role.members = ["ann", "bob", "cy"]
        let three = role.refusal?.message ?? "no refusal"
        #expect(three.hasPrefix("staff is an existing role with 3 members (ann, bob, cy), who"), "\(three)")
        role.members = []
        #expect(role.refusal == nil)
    }

    /// Role names are case-sensitive, so `ONDO_OWNER` would be a login that reads as the owner role in
    /// `pg_stat_activity` and logs; the reserved prefixes are refused in any case. Nothing is created.
    @Test func reservedPrefixesAreRefusedInAnyCase() async throws {
        let db = try await TestPostgres.shared.database("LoginRoles")
        let suffix = UInt32.random(in: 0...UInt32.max)
        let outcomes = try await db.withConnection { admin in
            ["ONDO_OWNER_\(suffix)", "Ondo_app_\(suffix)", "PG_monitor_\(suffix)"].map { name in
                let error = roleRefusal {
                    _ = try LoginRoles.addLogin(name: name, role: .app, password: nil, on: admin)
                }
                let exists =
                    (try? admin.queryValue(
                        Bool.self, "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = \(name))")) ?? true
                if exists { _ = try? admin.execute("DROP ROLE \(identifier: name)") }
                return (error, exists)
            }
        }
        for (error, exists) in outcomes {
            #expect(error?.message.contains("which is reserved") == true, "\(String(describing: error))")
            #expect(!exists)
        }
    }

    /// Each reserved prefix names what reserves it: `pg_` was refused as "reserved for PostgreSQL's built-in roles and
    /// Ondo's group roles", as if Ondo's groups were named `pg_…`.
    @Test func eachReservedPrefixNamesWhatReservesIt() {
        #expect(
            LoginRoles.nameProblem("PG_monitor")
                == "the login name PG_monitor starts with pg_, which is reserved for PostgreSQL's built-in roles: "
                + "choose another name")
        #expect(
            LoginRoles.nameProblem("ondo_backend")
                == "the login name ondo_backend starts with ondo_, which is reserved for Ondo's group roles "
                + "(ondo_owner, ondo_app, ondo_shop, ondo_report): choose another name")
        #expect(LoginRoles.nameProblem("shop_backend") == nil)
    }

    /// A password file or piped line ending in CRLF (written on Windows, or by `echo` in some shells) must set
    /// the password without the carriage return, as the connecting side reads password files.
    @Test func thePasswordIsTheFirstLineWithoutItsLineBreak() {
        #expect(LoginRoles.passwordLine("hunter2") == "hunter2")
        #expect(LoginRoles.passwordLine("hunter2\n") == "hunter2")
        #expect(LoginRoles.passwordLine("hunter2\r\n") == "hunter2")
        #expect(LoginRoles.passwordLine("hunter2\r") == "hunter2")
        #expect(LoginRoles.passwordLine("비밀 번호\r\nsecond line\r\n") == "비밀 번호")
        #expect(LoginRoles.passwordLine(" spaced \n") == " spaced ")
        #expect(LoginRoles.passwordLine("\r\n").isEmpty)
    }

    @Test func groupRoleNamesParse() {
        #expect(OndoRole(name: "shop") == .shop)
        #expect(OndoRole(name: "ondo_report") == .report)
        #expect(OndoRole(name: "owner") == nil)
        #expect(OndoRole.app.shortName == "app")
    }
}

/// Runs `body` and returns the `RoleRefusal` it threw, if any: Ondo's own refusal, not a `PostgresError`.
private func roleRefusal(_ body: () throws -> Void) -> RoleRefusal? {
    thrown(RoleRefusal.self, by: body)
}
