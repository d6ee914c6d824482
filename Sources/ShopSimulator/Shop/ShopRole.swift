import Postgres

/// Connections that write exactly as the shop's backend does: the session takes on the group role `ondo_shop`
/// as it starts, so it may insert into `shop.*` and nothing else, and Ondo's triggers fire as for the shop.
///
/// The configured user must be allowed to become `ondo_shop`: a member of it (the shop's own login) or a
/// superuser (the embedded cluster's administrator).
public enum ShopRole {
    /// The group role the shop writes as.
    public static let name = "ondo_shop"

    /// `base` with the session role set to `ondo_shop` when connecting (libpq `options=-c role=ondo_shop`).
    public static func configuration(from base: PostgresConfiguration) throws -> PostgresConfiguration {
        var parsed = try PostgresConnectionString(base.connectionString)
        parsed["options"] = (parsed["options"].map { $0 + " " } ?? "") + "-c role=\(name)"
        var configuration = base
        configuration.connectionString = parsed.conninfo
        return configuration
    }

    /// Turns the server's refusal of the role into a sentence that says what to do; other errors pass through.
    public static func explain(_ error: any Error, endpoint: String) -> any Error {
        guard let error = error as? PostgresError else { return error }
        let message = error.message
        if message.contains("role \"\(name)\" does not exist") {
            return ShopWriteError(
                "cannot write as the shop on \(endpoint): role \(name) does not exist there; migrate the database "
                    + "first (ondo migrate), which creates it")
        }
        if message.contains("permission denied to set role") || message.contains("invalid value for parameter \"role\"")
        {
            return ShopWriteError(
                "cannot write as the shop on \(endpoint): the user may not take on role \(name) (connect as a "
                    + "superuser or as a member of \(name), on a database migrated with `ondo migrate`; an "
                    + "administrator with CREATEROLE that is not a superuser is no member of it)")
        }
        return error
    }
}
