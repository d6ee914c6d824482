import Postgres

extension SchemaVersion {
    /// The shop's tables that generated data is written into (migration 0002): all must exist.
    static let shopTables = ["customers", "products", "orders", "order_items", "reviews"]

    /// Why a database does not fit this build for writing into the shop's tables (`ondo generate`); nil when it
    /// does, as far as the login can tell.
    ///
    /// A login that may read Ondo's schema (an administrator's, or one in ondo_app) gets ``mismatch(on:)``'s
    /// answer, without being asked again whether it may. A shop login may not read the migration ledger: it is
    /// refused only when the shop's tables are missing, with the same sentence, rather than with PostgreSQL's
    /// "relation … does not exist".
    public static func mismatchForShopWriter(on connection: PostgresConnection, migrate: String = "ondo migrate") throws
        -> String?
    {
        // Catalog look-ups need no privilege on the schemas they name.
        let row = try connection.query(
            """
            SELECT (SELECT pg_catalog.has_schema_privilege(oid, 'USAGE') FROM pg_catalog.pg_namespace
                    WHERE nspname = 'ondo_meta') AS ledger_readable,
                   (SELECT count(*) FROM pg_catalog.pg_class c
                    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                    WHERE n.nspname = 'shop' AND c.relkind IN ('r', 'p')
                      AND c.relname = ANY(\(shopTables))) AS shop_tables
            """)[0]
        if try row.decode(Bool?.self, "ledger_readable") == true {
            return try ledgerMismatch(on: connection, migrate: migrate)
        }
        guard try row.decode(Int.self, "shop_tables") == shopTables.count else {
            return "the database has no Ondo schema: run `\(migrate)` first"
        }
        return nil
    }
}
