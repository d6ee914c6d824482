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

    @Test func refusesSuperusersAndReservedNames() async throws {
        let db = try await TestPostgres.shared.database("LoginRoles")
        let name = "login_super_\(UInt32.random(in: 0...UInt32.max))"
        let (superuser, reserved) = try await db.withConnection { admin in
            try admin.execute("CREATE ROLE \(identifier: name) SUPERUSER")
            defer { _ = try? admin.execute("DROP ROLE \(identifier: name)") }
            return (
                postgresError { _ = try LoginRoles.addLogin(name: name, role: .app, password: nil, on: admin) },
                postgresError { _ = try LoginRoles.addLogin(name: "ondo_owner", role: .app, password: nil, on: admin) }
            )
        }
        #expect(superuser?.sqlState == "42501")
        #expect(superuser?.message.contains("superuser") == true)
        #expect(reserved?.code == .misuse)
    }

    @Test func groupRoleNamesParse() {
        #expect(OndoRole(name: "shop") == .shop)
        #expect(OndoRole(name: "ondo_report") == .report)
        #expect(OndoRole(name: "owner") == nil)
        #expect(OndoRole.app.shortName == "app")
    }
}
