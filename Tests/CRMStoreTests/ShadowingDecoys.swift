import Postgres
import TestSupport
import Testing

/// Decoys a shop session plants to hijack Ondo's insert triggers, which run in the shop's session and so with its
/// search_path: a schema `evil` the shop login owns, first on the search_path, holds a `pg_notify` that raises and
/// a `now()` and `clock_timestamp()` that answer 2000-01-01, all granted to PUBLIC (the trigger function's owner
/// too). The shadowing tests check that the triggers write Ondo's own tables with pg_catalog's functions all the same.
enum ShadowingDecoys {
    /// Creates the schema `evil`, owned by the shop login (as the administrator: the shop may not create schemas).
    static func createSchema(in db: TestDatabase) async throws {
        let shopUser = try #require(db.userName(.shop))
        try await db.withConnection { admin in
            try admin.execute("CREATE SCHEMA evil AUTHORIZATION \(identifier: shopUser)")
        }
    }

    /// Runs `tables` (the decoy tables, in `evil` and as temporary tables), the common function decoys, then
    /// `moreDecoys`, on `shop`'s session, and puts `evil` first on its search_path.
    static func plant(on shop: PostgresConnection, tables: String, moreDecoys: String = "") throws {
        try shop.runScript([tables, functions, moreDecoys, grantsAndSearchPath].joined(separator: "\n"))
    }

    private static let functions = """
        CREATE FUNCTION evil.pg_notify(text, text) RETURNS void LANGUAGE plpgsql
            AS $$ BEGIN RAISE EXCEPTION 'hijacked pg_notify'; END $$;
        CREATE FUNCTION evil.now() RETURNS timestamptz LANGUAGE sql AS $$ SELECT '2000-01-01'::timestamptz $$;
        CREATE FUNCTION evil.clock_timestamp() RETURNS timestamptz LANGUAGE sql
            AS $$ SELECT '2000-01-01'::timestamptz $$;
        """

    private static let grantsAndSearchPath = """
        -- Make the decoys visible to everyone, including the trigger function's owner.
        GRANT USAGE ON SCHEMA evil TO PUBLIC;
        GRANT ALL ON ALL TABLES IN SCHEMA evil TO PUBLIC;
        GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA evil TO PUBLIC;
        SET search_path = evil, pg_temp, pg_catalog, shop;
        """
}
