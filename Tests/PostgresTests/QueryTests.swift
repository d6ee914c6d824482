import Foundation
import Postgres
import TestSupport
import Testing

/// Binds, identifiers, composed queries, prepared statements, affected-row counts and server errors.
@Suite struct QueryTests {
    private func database() async throws -> TestDatabase {
        try await TestPostgres.shared.database("Query")
    }

    @Test func interpolatedValuesBecomeBindsNotSQL() {
        let email = "x'; DROP TABLE shop.customers; --"
        let query: PostgresQuery = "SELECT id FROM shop.customers WHERE email = \(email) AND id > \(5)"
        #expect(query.sql == "SELECT id FROM shop.customers WHERE email = $1 AND id > $2")
        #expect(query.binds.count == 2)
        #expect(!query.description.contains("DROP"))
        #expect(query.description.contains("2 bind value(s) redacted"))
    }

    /// A column is found by name in a narrow result (searched in order) and in a wide one (hashed) alike: the first
    /// of several with the name, and a name that is not there is an error that lists the columns.
    @Test(arguments: [3, 30])
    func columnsAreFoundByNameInNarrowAndWideResults(width: Int) async throws {
        let columns = (0..<width).map { "\($0 * 10) AS c\($0)" }.joined(separator: ", ")
        let row = try await database().withConnection { conn in
            try conn.query(PostgresQuery(unsafeSQL: "SELECT \(columns), 1 AS twice, 2 AS twice"))[0]
        }
        #expect(try row.decode(Int.self, "c0") == 0)
        #expect(try row.decode(Int.self, "c\(width - 1)") == (width - 1) * 10)
        #expect(try row.decode(Int.self, "twice") == 1, "the first of two columns with the name")
        let missing = #expect(throws: PostgresError.self) { try row.decode(Int.self, "C0") }
        #expect(missing?.message.contains("no column named \"C0\"") == true)
        #expect(missing?.message.contains("c0, c1, c2") == true)
    }

    @Test func metacharactersAreStoredVerbatim() async throws {
        let nasty = ["'; DROP TABLE t; --", "$1", "\\", "\\\\'", "\"", "%_", "\u{1}\u{7F}"]
        let back = try await database().withConnection { conn in
            try conn.execute("CREATE TEMP TABLE notes (body text)")
            for text in nasty { try conn.execute("INSERT INTO notes VALUES (\(text))") }
            return try conn.query("SELECT body FROM notes ORDER BY ctid").map { try $0.decode(String.self, "body") }
        }
        #expect(back == nasty)
    }

    @Test func identifiersAreEscapedByLibpq() async throws {
        let table = "weird \"table\" 이름"
        let column = "select"
        let count = try await database().withConnection { conn in
            try conn.execute("CREATE TEMP TABLE \(identifier: table) (\(identifier: column) int)")
            try conn.execute("INSERT INTO \(identifier: table) (\(identifier: column)) VALUES (\(1)), (\(2))")
            return try conn.queryValue(Int.self, "SELECT sum(\(identifier: column)) FROM \(identifier: table)")
        }
        #expect(count == 3)
    }

    @Test func composedQueriesRenumberTheirBinds() async throws {
        var query: PostgresQuery = "SELECT \(10)::int8"
        let more: PostgresQuery = " + \(20)::int8"
        query.append(more)
        query = query + " + \(12)::int8"
        #expect(query.sql == "SELECT $1::int8 + $2::int8 + $3::int8")
        let nested: PostgresQuery = "SELECT (\(query)) * \(2)"
        #expect(nested.sql == "SELECT (SELECT $1::int8 + $2::int8 + $3::int8) * $4")
        let result = try await database().withConnection { conn in try conn.queryValue(Int.self, nested) }
        #expect(result == 84)
    }

    @Test func executeReportsAffectedRows() async throws {
        let (inserted, updated, deleted) = try await database().withConnection { conn in
            try conn.execute("CREATE TEMP TABLE counts (n int)")
            let inserted = try conn.execute("INSERT INTO counts SELECT generate_series(1, \(5))")
            let updated = try conn.execute("UPDATE counts SET n = n + 1 WHERE n <= \(3)")
            let deleted = try conn.execute("DELETE FROM counts WHERE n > \(100)")
            return (inserted, updated, deleted)
        }
        #expect(inserted == 5)
        #expect(updated == 3)
        #expect(deleted == 0)
    }

    @Test func preparedStatementsRunManyTimesAndAreCached() async throws {
        let (results, preparedCount, cachedTwice) = try await database().withConnection { conn in
            let statement = try conn.prepare("SELECT $1::int8 * $2::int8 AS product", parameterTypes: [.int8, .int8])
            var results: [Int] = []
            for factor in 1...3 {
                let rows = try conn.query(
                    statement, binds: [try PostgresBind(Optional(factor)), try PostgresBind(Optional(7))])
                results.append(try rows[0].decode(Int.self, "product"))
            }
            let again = try conn.prepare("SELECT $1::int8 * $2::int8 AS product", parameterTypes: [.int8, .int8])
            for value in 1...3 {
                _ = try conn.query("SELECT \(value) + 1 AS next", prepared: true)
            }
            let prepared = try conn.queryValue(Int.self, "SELECT count(*) FROM pg_prepared_statements")
            return (results, prepared, again == statement)
        }
        #expect(results == [7, 14, 21])
        #expect(preparedCount == 2)
        #expect(cachedTwice)
    }

    @Test func aVanishedPreparedStatementIsPreparedAgain() async throws {
        let outcome = try await database().withConnection { conn in
            let first: PostgresQuery = "SELECT \(Int64(2)) * 3 AS six"
            let second: PostgresQuery = "SELECT \(Int64(2)) * 4 AS eight"
            _ = try conn.query(first, prepared: true)
            _ = try conn.query(second, prepared: true)
            // A pooler or an operator drops one statement: the other must keep its name, and the next statement
            // must not take a name still in use (42P05).
            try conn.execute("DEALLOCATE ondo_statement_1")
            let six = try conn.queryValue(Int.self, first, prepared: true)
            let eight = try conn.queryValue(Int.self, second, prepared: true)
            // Inside a transaction the failed EXECUTE aborts it: the error reaches the caller, and the next
            // attempt (after the rollback) prepares the statement again.
            try conn.execute("DEALLOCATE ALL")
            let inTransaction = #expect(throws: PostgresError.self) {
                try conn.withTransaction { try $0.queryValue(Int.self, first, prepared: true) }
            }
            let afterRollback = try conn.withTransaction { try $0.queryValue(Int.self, first, prepared: true) }
            let live = try conn.queryValue(Int.self, "SELECT count(*) FROM pg_prepared_statements")
            return (six, eight, inTransaction?.sqlState, afterRollback, live)
        }
        #expect(outcome.0 == 6)
        #expect(outcome.1 == 8)
        #expect(outcome.2 == "26000")
        #expect(outcome.3 == 6)
        #expect(outcome.4 == 1)
    }

    @Test func uniqueViolationCarriesSQLStateAndConstraint() async throws {
        let secret = "owner-secret@example.com"
        let db = try await database()
        let error = await #expect(throws: PostgresError.self) {
            try await db.withConnection { conn in
                try conn.execute("CREATE TEMP TABLE people (email text CONSTRAINT people_email_key UNIQUE)")
                try conn.execute("INSERT INTO people VALUES (\(secret))")
                try conn.execute("INSERT INTO people VALUES (\(secret))")
            }
        }
        #expect(error?.code == .server)
        #expect(error?.sqlState == PostgresError.SQLState.uniqueViolation)
        #expect(error?.constraint == "people_email_key")
        #expect(error?.table == "people")
        #expect(error?.query == "INSERT INTO people VALUES ($1)")
        #expect(error?.bindCount == 1)
        #expect(error?.description.contains("people_email_key") == true)
        #expect(error?.description.contains(secret) == false)
        #expect(error?.query?.contains(secret) == false)
        #expect(error?.detail?.contains("already exists") == true)
    }

    @Test func syntaxErrorPointsAtPosition() async throws {
        let db = try await database()
        let error = await #expect(throws: PostgresError.self) {
            try await db.withConnection { conn in try conn.execute("SELEC 1") }
        }
        #expect(error?.sqlState == "42601")
        #expect(error?.position == 1)
        #expect(error?.debugDescription.contains("query: SELEC 1") == true)
    }

    @Test func nulCharacterIsAnEncodingError() async throws {
        let db = try await database()
        // Short (stored inline), long with the NUL last, and not native (bridged from an NSString).
        let long = String(repeating: "가나다 abc ", count: 10_000)
        for text in ["a\u{0}b", "\u{0}", long + "\u{0}", NSString(string: "x\u{0}y") as String] {
            let error = await #expect(throws: PostgresError.self) {
                try await db.withConnection { conn in try conn.execute("SELECT \(text)") }
            }
            #expect(error?.code == .encoding)
        }
        // The same long text without the NUL is sent and comes back whole.
        let echoed = try await db.withConnection { conn in try conn.queryValue(String.self, "SELECT \(long)") }
        #expect(echoed == long)
    }

    @Test func statementTimeoutCancelsLongStatements() async throws {
        let db = try await database()
        var configuration = db.configuration()
        configuration.statementTimeout = .milliseconds(200)
        let frozen = configuration
        let error = await #expect(throws: PostgresError.self) {
            try await runBlocking {
                let conn = try PostgresConnection(configuration: frozen, logger: TestPostgres.logger)
                try conn.execute("SELECT pg_sleep(5)")
            }
        }
        #expect(error?.sqlState == PostgresError.SQLState.queryCanceled)
    }

    @Test func applicationNameAndSessionSettingsAreSet() async throws {
        let (name, zone, style) = try await database().withConnection { conn in
            let row = try #require(
                try conn.query(
                    """
                    SELECT application_name, current_setting('TimeZone') AS zone, current_setting('DateStyle') AS style
                    FROM pg_stat_activity WHERE pid = pg_backend_pid()
                    """
                ).first)
            return (
                try row.decode(String.self, "application_name"), try row.decode(String.self, "zone"),
                try row.decode(String.self, "style")
            )
        }
        #expect(name == "ondo-tests")
        #expect(zone == "UTC")
        #expect(style.hasPrefix("ISO"))
    }
}
