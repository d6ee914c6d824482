import Postgres

/// Whether Ondo's group roles exist in the cluster: `ondo migrate` creates them, and commands that grant them or
/// need them (`roles harden`, `roles add-login`) refuse in words on a cluster that was never migrated, rather than
/// fail with the server's "role … does not exist".
enum GroupRolesPresence {
    /// Throws a ``RoleRefusal`` naming those of `roles` that do not exist, and `migrate`, the command that creates
    /// them (with the options that chose this database: `ondo migrate --database-url …`).
    static func require(_ roles: [String], on connection: PostgresConnection, migrate: String) throws {
        let missing = try connection.queryValue(
            [String].self,
            """
            SELECT COALESCE(pg_catalog.array_agg(r ORDER BY r), '{}')
            FROM pg_catalog.unnest(\(roles.sorted())) AS r WHERE pg_catalog.to_regrole(r) IS NULL
            """)
        guard missing.isEmpty else {
            let names = missing.joined(separator: ", ")
            throw RoleRefusal(
                "Ondo's group role\(missing.count == 1 ? " \(names) does" : "s \(names) do") not exist: "
                    + "run `\(migrate)` first")
        }
    }
}
