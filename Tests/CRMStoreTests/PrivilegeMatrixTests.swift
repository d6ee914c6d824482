import Foundation
import Postgres
import TestSupport
import Testing

/// RELIABILITY.md S1, S2 and S4: what each role may and may not do.
@Suite(.serialized) struct PrivilegeMatrixTests {
    private func database() async throws -> TestDatabase {
        let db = try await TestPostgres.shared.database("PrivilegeMatrix")
        try await db.withConnection { admin in
            // A report view, as later migrations will add them (created by the owner, like every object).
            try admin.runScript(
                """
                BEGIN;
                SET LOCAL ROLE ondo_owner;
                CREATE OR REPLACE VIEW report.review_totals AS SELECT count(*) AS reviews FROM shop.reviews;
                COMMIT;
                """)
        }
        return db
    }

    /// Runs each statement in its own rolled-back transaction and expects allowed ones to succeed and forbidden
    /// ones to fail with 42501.
    private func check(
        _ db: TestDatabase, as role: TestRole, allowed: [PostgresQuery], forbidden: [PostgresQuery]
    ) async throws {
        let result = try await db.withConnection(as: role) { conn in
            var wrong: [String] = []
            func probe(_ statement: PostgresQuery) -> String? {
                sqlState {
                    try conn.execute("BEGIN")
                    defer { _ = try? conn.execute("ROLLBACK") }
                    try conn.execute(statement)
                }
            }
            for statement in allowed {
                if let state = probe(statement) {
                    wrong.append("\(role) should be allowed (\(state)): \(statement.sql)")
                }
            }
            for statement in forbidden {
                let state = probe(statement)
                if state != "42501" {
                    wrong.append("\(role) should get 42501, got \(state ?? "success"): \(statement.sql)")
                }
            }
            return (wrong: wrong, checked: allowed.count + forbidden.count)
        }
        #expect(result.wrong.isEmpty, "\(result.wrong.joined(separator: "\n"))")
        print("ondo tests: privilege matrix (\(role)): \(result.checked) statements as expected")
    }

    @Test func shopRoleWritesShopTablesAndNothingElse() async throws {
        let db = try await database()
        try await check(
            db, as: .shop,
            allowed: [
                "INSERT INTO shop.customers (email, name, marketing_consent) VALUES ('a@b.kr', '김철수', true)",
                "INSERT INTO shop.products (sku, name, category, price) VALUES ('SKU-1', '티셔츠', 'apparel', 19900)",
                "INSERT INTO shop.orders (customer_id, total, coupon_code) VALUES (1, 19900, 'WELCOME')",
                "INSERT INTO shop.order_items (order_id, product_id, quantity, unit_price) VALUES (1, 1, 2, 9950)",
                "INSERT INTO shop.reviews (customer_id, product_id, rating, body) VALUES (1, 1, 5, '좋아요')",
                "UPDATE shop.customers SET night_consent = true WHERE id = 1",
                "UPDATE shop.reviews SET body = '수정' WHERE id = 1",
                "SELECT * FROM shop.customers, shop.products, shop.orders, shop.order_items, shop.reviews",
            ],
            forbidden: [
                "SELECT * FROM crm.review_work", "INSERT INTO crm.review_work (review_id, customer_id) VALUES (1, 1)",
                "UPDATE crm.review_work SET status = 'completed'", "DELETE FROM crm.review_work",
                "SELECT * FROM ondo_meta.schema_migrations", "SELECT * FROM report.review_totals",
                "DELETE FROM shop.reviews", "TRUNCATE shop.reviews", "CREATE TABLE shop.extra (n int)",
                "CREATE TABLE public.extra (n int)", "CREATE SCHEMA extra", "ALTER TABLE shop.reviews ADD COLUMN x int",
                "DROP TABLE shop.reviews", "SELECT crm.enqueue_review_work()",
            ])
    }

    @Test func reportRoleOnlyReadsReportViews() async throws {
        let db = try await database()
        try await check(
            db, as: .report,
            allowed: ["SELECT reviews FROM report.review_totals"],
            forbidden: [
                "SELECT * FROM shop.reviews",
                "INSERT INTO shop.reviews (customer_id, product_id, body) VALUES (1, 1, 'x')",
                "UPDATE shop.customers SET name = 'x'", "DELETE FROM shop.orders", "SELECT * FROM crm.review_work",
                "INSERT INTO crm.review_work (review_id, customer_id) VALUES (1, 1)",
                "CREATE TABLE report.extra (n int)",
                "CREATE TABLE public.extra (n int)", "DROP VIEW report.review_totals",
                "SELECT * FROM ondo_meta.schema_migrations",
            ])
    }

    @Test func appRoleRunsDMLButNoDDL() async throws {
        let db = try await database()
        try await check(
            db, as: .app,
            allowed: [
                "SELECT * FROM shop.reviews", "SELECT * FROM report.review_totals",
                "INSERT INTO crm.review_work (review_id, customer_id) VALUES (424242, 1)",
                "UPDATE crm.review_work SET status = 'completed' WHERE review_id = 1",
                "DELETE FROM crm.review_work WHERE review_id = 424242", "SELECT * FROM ondo_meta.schema_migrations",
            ],
            forbidden: [
                "CREATE TABLE crm.extra (n int)", "CREATE TABLE public.extra (n int)",
                "CREATE TABLE shop.extra (n int)",
                "CREATE TABLE report.extra (n int)", "CREATE SCHEMA extra", "CREATE VIEW crm.v AS SELECT 1",
                "CREATE FUNCTION crm.f() RETURNS int LANGUAGE sql AS 'SELECT 1'",
                "ALTER TABLE crm.review_work ADD COLUMN x int", "DROP TABLE crm.review_work",
                "TRUNCATE crm.review_work", "CREATE INDEX extra_idx ON crm.review_work (attempts)",
                "INSERT INTO shop.reviews (customer_id, product_id, body) VALUES (1, 1, 'x')",
                "UPDATE shop.customers SET name = 'x'", "DELETE FROM shop.orders",
            ])
    }

    @Test func noLoginRoleIsPrivilegedAndGroupRolesCannotLogIn() async throws {
        let db = try await database()
        let (groups, privilegedLogins, members) = try await db.withConnection { admin in
            let groups = try admin.query(
                "SELECT rolname, rolcanlogin, rolsuper, rolbypassrls FROM pg_roles WHERE rolname LIKE 'ondo\\_%' ORDER BY 1"
            ).map {
                (
                    try $0.decode(String.self, "rolname"), try $0.decode(Bool.self, "rolcanlogin"),
                    try $0.decode(Bool.self, "rolsuper") || $0.decode(Bool.self, "rolbypassrls")
                )
            }
            let privileged = try admin.queryValue(
                Int.self,
                """
                SELECT count(*) FROM pg_roles login
                WHERE login.rolcanlogin AND (login.rolsuper OR login.rolbypassrls)
                  AND EXISTS (SELECT 1 FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
                              WHERE m.member = login.oid AND g.rolname LIKE 'ondo\\_%')
                """)
            let members = try admin.queryValue(
                Int.self,
                """
                SELECT count(*) FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member
                WHERE u.rolcanlogin AND g.rolname IN ('ondo_app', 'ondo_shop', 'ondo_report')
                """)
            return (groups, privileged, members)
        }
        #expect(groups.map(\.0) == ["ondo_app", "ondo_owner", "ondo_report", "ondo_shop"])
        #expect(groups.allSatisfy { !$0.1 && !$0.2 }, "group roles neither log in nor are privileged")
        #expect(privilegedLogins == 0)
        #expect(members >= 3)

        var owner = db.configuration()
        owner.user = "ondo_owner"
        let frozen = owner
        let error = await #expect(throws: PostgresError.self) {
            try await db.withConnection { _ in
                _ = try PostgresConnection(configuration: frozen, logger: TestPostgres.logger)
            }
        }
        #expect(error?.code == .connection)
        #expect(error?.message.contains("not permitted to log in") == true)
    }
}
