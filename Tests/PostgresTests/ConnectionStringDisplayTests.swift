import Postgres
import TestSupport
import Testing

/// `PostgresConnectionString.description` is shown to users (logs, `ondo demo`, `--embedded`), who copy it into
/// `psql`: it must read back as the same server, user and database.
@Suite struct ConnectionStringDisplayTests {
    @Test(arguments: [
        "host=/tmp/ondo-pg.Ab12 port=5432 user=ondo dbname=ondo",
        "host=::1 port=6543 user=app dbname=shop",
        "host=db.example.com user='shop owner' dbname='a/b?c'",
        "host=a,b port=5432,5433 user=u@x dbname=d",
        "postgresql://app:secret@db:5432/ondo?sslmode=require",
    ])
    func theDisplayedURIReadsBackAsTheSameServerUserAndDatabase(_ text: String) throws {
        let original = try PostgresConnectionString(text)
        let shown = original.description
        let readBack = try PostgresConnectionString(shown)
        for key in ["host", "port", "user", "dbname"] {
            #expect(readBack[key] == original[key], "\(key) of \(shown)")
        }
        #expect(!shown.contains("secret"))
    }

    @Test func aSocketDirectoryIsPercentEncoded() throws {
        let shown = try PostgresConnectionString("host=/tmp/ondo-pg.Ab12 port=5432 user=ondo dbname=ondo").description
        #expect(shown == "postgresql://ondo@%2Ftmp%2Fondo-pg.Ab12:5432/ondo")
    }

    @Test func theDisplayedURIConnects() async throws {
        let db = try await TestPostgres.shared.database("ConnectionStringDisplay")
        let shown = try PostgresConnectionString(db.connectionString()).description
        let connection = try PostgresConnection(
            configuration: PostgresConfiguration(connectionString: shown), logger: TestPostgres.logger)
        #expect(try connection.queryValue(String.self, "SELECT current_database()") == db.name)
    }
}
