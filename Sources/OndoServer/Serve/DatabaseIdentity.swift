import Postgres

/// Where a connection's statements run: the database's name, the cluster's system identifier when the login may
/// read it (`pg_control_system()`, executable by every role unless revoked), and the server's port (`nil` over a
/// Unix socket).
struct DatabaseIdentity: Sendable, Equatable {
    var database: String
    var systemIdentifier: String?
    var port: Int32?

    /// The identity of the database `connection` reaches (through a pooler, the server's, not the pooler's).
    static func read(on connection: PostgresConnection) throws -> DatabaseIdentity {
        let row = try connection.query(
            """
            SELECT pg_catalog.current_database()::text AS database, pg_catalog.inet_server_port() AS port,
                pg_catalog.has_function_privilege('pg_catalog.pg_control_system()', 'EXECUTE') AS may_read_system
            """
        ).first
        guard let row else { throw PostgresError(code: .unexpectedResponse, message: "no row for the database") }
        var identity = DatabaseIdentity(
            database: try row.decode(String.self, "database"), port: try row.decode(Int32?.self, "port"))
        if try row.decode(Bool.self, "may_read_system") {
            identity.systemIdentifier = try connection.queryValue(
                String.self, "SELECT system_identifier::text FROM pg_catalog.pg_control_system()")
        }
        return identity
    }

    /// Why a listener connected to `other` would miss the notifications sent in `self`'s database, or nil. Without
    /// both system identifiers, two servers are told apart by their ports only when both are known.
    func whyNotTheSame(as other: DatabaseIdentity) -> String? {
        if database != other.database {
            return "it reaches the database \(other.database), the application's is \(database)"
        }
        if let mine = systemIdentifier, let theirs = other.systemIdentifier {
            return mine == theirs
                ? nil
                : "it reaches another PostgreSQL cluster (system identifier \(theirs), the application's is \(mine))"
        }
        if let mine = port, let theirs = other.port, mine != theirs {
            return "it reaches a server on port \(theirs), the application's is on port \(mine)"
        }
        return nil
    }
}
