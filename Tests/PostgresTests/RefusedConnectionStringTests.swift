import Postgres
import TestSupport
import Testing

/// A connection string libpq refuses before it opens a socket can never connect: it fails with code `.configuration`
/// and libpq's reason, not as a connection failure (which servers and commands retry, waiting for a database that is
/// down). Each reason below is the text libpq 15 itself gave for the string when it was tried.
@Suite struct RefusedConnectionStringTests {
    /// No server answers here: a string libpq accepts fails to connect, as a connection failure.
    private static let nowhere = "host=/nonexistent-ondo-socket-dir dbname=ondo"

    @Test(arguments: [
        (nowhere + " port=notaport", #"invalid integer value "notaport" for connection option "port""#),
        (nowhere + " port=70000", #"invalid port number: "70000""#),
        (nowhere + " sslmode=on", #"invalid sslmode value: "on""#),
        (nowhere + " target_session_attrs=rw", #"invalid target_session_attrs value: "rw""#),
        (nowhere + " gssencmode=x", #"invalid gssencmode value: "x""#),
        (nowhere + " channel_binding=x", #"invalid channel_binding value: "x""#),
        ("host=a,b port=1,2,3", "could not match 3 port numbers to 2 hosts"),
        ("host=a,b hostaddr=192.0.2.1", "could not match 2 host names to 1 hostaddr values"),
        ("hots=localhost", #"invalid connection option "hots""#),
        ("postgresql://app@db:5432/ondo?foo=bar", #"invalid URI query parameter: "foo""#),
    ])
    func refusedWithLibpqsReasonAndNotAsAConnectionFailure(_ text: String, reason: String) throws {
        #expect(PostgresConnectionString.problem(in: text) == reason)
        do {
            _ = try PostgresConnection(
                configuration: PostgresConfiguration(connectionString: text), logger: TestPostgres.logger)
            Issue.record("\(text) connected")
        } catch let error as PostgresError {
            #expect(error.code == .configuration, "\(text): \(error)")
            #expect(!error.isConnectionFailure)
            #expect(error.message == "the database connection string is not valid: " + reason)
        }
    }

    /// libpq quotes the whole URI, or a piece of a value, in some of its reasons: those pieces may be a password.
    @Test(arguments: [
        (
            "postgresql://app:s3cr3t@[::1",
            #"end of string reached when looking for matching "]" in IPv6 host address in URI: "…""#
        ),
        ("host=db password=s3cr3t words", #"missing "=" after "…" in connection info string"#),
        ("postgresql://app:s3cr3t%zz@db/ondo", #"invalid percent-encoded token: "…""#),
    ])
    func aReasonShowsNoPieceOfAPassword(_ text: String, reason: String) {
        #expect(PostgresConnectionString.problem(in: text) == reason)
    }

    /// Strings libpq accepts: a server that is not there is a connection failure, which may pass if tried again.
    @Test(arguments: [
        nowhere, nowhere + " port=5432", nowhere + " port=' 5432 '", nowhere + " sslmode=prefer port=",
        "host=/nonexistent-ondo-socket-dir,/nonexistent-ondo-other port=5432,5433 target_session_attrs=read-write",
        // An empty hostaddr is no list: libpq counts the hosts.
        "host=/nonexistent-ondo-socket-dir,/nonexistent-ondo-other hostaddr= port=5432,5433",
    ])
    func aServerThatIsNotThereIsStillAConnectionFailure(_ text: String) throws {
        #expect(PostgresConnectionString.problem(in: text) == nil)
        do {
            _ = try PostgresConnection(
                configuration: PostgresConfiguration(connectionString: text), logger: TestPostgres.logger)
            Issue.record("\(text) connected")
        } catch let error as PostgresError {
            #expect(error.isConnectionFailure, "\(text): \(error)")
        }
    }
}
