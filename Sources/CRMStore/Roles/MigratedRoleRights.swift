import Postgres

/// The rights Ondo's first migration gives its group roles on a database: `ondo_owner` owns the schemas `shop`,
/// `crm` and `report`, and each other group may use the schemas it works in. A dump restored before its roles
/// existed has every table and the whole migration ledger, so `ondo migrate` finds nothing to apply, but none of
/// these rights (README, "Backups"): every command of the app, shop and report logins would then fail on the first
/// schema it touches. Checked after each `ondo migrate`, so that it says so instead of "up to date".
public enum MigratedRoleRights {
    /// The group roles' uses of schemas that migration 0001 grants.
    static let schemaUses: [(role: String, schema: String)] = [
        ("ondo_app", "ondo_meta"), ("ondo_app", "shop"), ("ondo_app", "crm"), ("ondo_app", "report"),
        ("ondo_shop", "shop"), ("ondo_report", "report"),
    ]

    /// Ondo's own schemas, which `ondo_owner` owns.
    static let ownedSchemas = ["shop", "crm", "report"]

    /// A sentence for each of those rights the database lacks, in a fixed order; empty when it has them all, and
    /// when it has no Ondo schema yet (nothing migrated).
    public static func missing(on connection: PostgresConnection) throws -> [String] {
        let migrated = try connection.queryValue(
            Bool.self,
            """
            SELECT pg_catalog.to_regclass('ondo_meta.schema_migrations') IS NOT NULL
               AND pg_catalog.to_regnamespace('crm') IS NOT NULL
            """)
        guard migrated else { return [] }
        let unowned = try connection.query(
            """
            SELECT n.nspname AS schema, pg_catalog.pg_get_userbyid(n.nspowner) AS owner
            FROM pg_catalog.pg_namespace AS n
            WHERE n.nspname = ANY(\(ownedSchemas))
              AND n.nspowner IS DISTINCT FROM pg_catalog.to_regrole('ondo_owner')::oid
            ORDER BY n.nspname
            """
        ).map { row in
            "schema \(try row.decode(String.self, "schema")) belongs to \(try row.decode(String.self, "owner")), "
                + "not ondo_owner"
        }
        let unusable = try connection.query(
            """
            SELECT u.role, u.schema, pg_catalog.to_regrole(u.role) IS NOT NULL AS role_exists
            FROM ROWS FROM (pg_catalog.unnest(\(schemaUses.map(\.role))), pg_catalog.unnest(\(schemaUses.map(\.schema))))
                WITH ORDINALITY AS u(role, schema, position)
            WHERE CASE WHEN pg_catalog.to_regrole(u.role) IS NULL OR pg_catalog.to_regnamespace(u.schema) IS NULL
                       THEN true
                       ELSE NOT pg_catalog.has_schema_privilege(u.role, u.schema, 'USAGE') END
            ORDER BY u.position
            """
        ).map { row in
            let role = try row.decode(String.self, "role")
            guard try row.decode(Bool.self, "role_exists") else { return "role \(role) does not exist" }
            return "\(role) may not use schema \(try row.decode(String.self, "schema"))"
        }
        var sentences: [String] = []
        for sentence in unowned + unusable where !sentences.contains(sentence) { sentences.append(sentence) }
        return sentences
    }
}
