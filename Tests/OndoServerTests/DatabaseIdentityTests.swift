import Testing

@testable import OndoServer

/// How the start-up check of `database.listenUrl` tells two databases apart, without a database: by name, then by the
/// cluster's system identifier, and by the server's port only when an identifier is missing (a login that may not
/// read `pg_control_system()`) and both ports are known (neither connection on a Unix socket).
@Suite struct DatabaseIdentityTests {
    private let application = DatabaseIdentity(database: "ondo", systemIdentifier: "7301", port: 5432)

    @Test func theSameDatabaseByAnotherRouteIsTheSame() {
        // Through PgBouncer on the same host the server sees another client address; the port is the server's.
        #expect(application.whyNotTheSame(as: application) == nil)
        var overASocket = application
        overASocket.port = nil
        #expect(application.whyNotTheSame(as: overASocket) == nil)
        // The same cluster reached on another port (a forwarded one): the identifier decides.
        var forwarded = application
        forwarded.port = 6543
        #expect(application.whyNotTheSame(as: forwarded) == nil)
    }

    @Test func anotherDatabaseOrClusterIsNamed() {
        var otherDatabase = application
        otherDatabase.database = "postgres"
        #expect(
            application.whyNotTheSame(as: otherDatabase)
                == "it reaches the database postgres, the application's is ondo")
        var otherCluster = application
        otherCluster.systemIdentifier = "7302"
        #expect(
            application.whyNotTheSame(as: otherCluster)
                == "it reaches another PostgreSQL cluster (system identifier 7302, the application's is 7301)")
    }

    @Test func withoutAnIdentifierOnlyTheDatabaseAndKnownPortsAreCompared() {
        var unreadable = application
        unreadable.systemIdentifier = nil
        var otherPort = unreadable
        otherPort.port = 5433
        #expect(
            application.whyNotTheSame(as: otherPort)
                == "it reaches a server on port 5433, the application's is on port 5432")
        var overASocket = unreadable
        overASocket.port = nil
        #expect(application.whyNotTheSame(as: overASocket) == nil)
    }
}
