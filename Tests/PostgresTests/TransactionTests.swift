import Foundation
import Postgres
import TestSupport
import Testing

/// BEGIN/COMMIT/ROLLBACK semantics of `withTransaction` and savepoints.
@Suite struct TransactionTests {
    private struct Boom: Error {}

    private func withTable<Result: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection) throws -> Result
    ) async throws -> Result {
        let db = try await TestPostgres.shared.database("Transactions")
        return try await db.withConnection { conn in
            try conn.execute("CREATE TEMP TABLE items (id int CONSTRAINT items_pkey PRIMARY KEY)")
            return try body(conn)
        }
    }

    @Test func commitKeepsRows() async throws {
        let count = try await withTable { conn in
            let inner = try conn.withTransaction { conn in
                try conn.execute("INSERT INTO items VALUES (1), (2)")
                return "done"
            }
            #expect(inner == "done")
            #expect(!conn.isInTransaction)
            return try conn.queryValue(Int.self, "SELECT count(*) FROM items")
        }
        #expect(count == 2)
    }

    @Test func throwingRollsBackAndLeavesNoRows() async throws {
        let (count, threw) = try await withTable { conn in
            var threw = false
            do {
                try conn.withTransaction { conn in
                    try conn.execute("INSERT INTO items VALUES (1), (2)")
                    throw Boom()
                }
            } catch is Boom { threw = true }
            return (try conn.queryValue(Int.self, "SELECT count(*) FROM items"), threw)
        }
        #expect(threw)
        #expect(count == 0)
    }

    @Test func failedStatementRollsBackTheTransaction() async throws {
        let (count, error) = try await withTable { conn in
            var caught: PostgresError?
            do {
                try conn.withTransaction { conn in
                    try conn.execute("INSERT INTO items VALUES (1)")
                    try conn.execute("INSERT INTO items VALUES (1)")
                }
            } catch let error as PostgresError { caught = error }
            return (try conn.queryValue(Int.self, "SELECT count(*) FROM items"), caught)
        }
        #expect(error?.sqlState == PostgresError.SQLState.uniqueViolation)
        #expect(count == 0)
    }

    @Test func swallowedFailureStillCommitsNothing() async throws {
        let (count, error) = try await withTable { conn in
            var caught: PostgresError?
            do {
                try conn.withTransaction { conn in
                    try conn.execute("INSERT INTO items VALUES (1)")
                    _ = try? conn.execute("INSERT INTO items VALUES (1)")
                }
            } catch let error as PostgresError { caught = error }
            return (try conn.queryValue(Int.self, "SELECT count(*) FROM items"), caught)
        }
        #expect(error?.code == .transactionRolledBack)
        #expect(count == 0)
    }

    @Test func nestedTransactionIsASavepoint() async throws {
        let ids = try await withTable { conn in
            try conn.withTransaction { conn in
                try conn.execute("INSERT INTO items VALUES (1)")
                do {
                    try conn.withTransaction { conn in
                        try conn.execute("INSERT INTO items VALUES (2)")
                        try conn.execute("INSERT INTO items VALUES (1)")  // fails: the savepoint is rolled back
                    }
                } catch {}
                try conn.execute("INSERT INTO items VALUES (3)")
            }
            return try conn.query("SELECT id FROM items ORDER BY id").map { try $0.decode(Int.self, "id") }
        }
        #expect(ids == [1, 3])
    }

    @Test func originalErrorSurvivesAFailedRollback() async throws {
        let (error, connected) = try await withTable { conn in
            var caught: (any Error)?
            do {
                try conn.withTransaction { conn in
                    try conn.execute("INSERT INTO items VALUES (1)")
                    _ = try? conn.execute("SELECT pg_terminate_backend(pg_backend_pid())")
                    throw Boom()
                }
            } catch { caught = error }
            return (caught, conn.isConnected)
        }
        #expect(error is Boom)
        #expect(!connected)
    }

    @Test func isolationAndReadOnlyOptions() async throws {
        let (isolation, readOnly, writeError) = try await withTable { conn in
            try conn.withTransaction(PostgresTransactionOptions(isolation: .serializable, readOnly: true)) { conn in
                var caught: PostgresError?
                do { try conn.withSavepoint { try $0.execute("CREATE TABLE read_only_check (n int)") } } catch let error
                    as PostgresError
                {
                    caught = error
                }
                return (
                    try conn.queryValue(String.self, "SHOW transaction_isolation"),
                    try conn.queryValue(String.self, "SHOW transaction_read_only"), caught
                )
            }
        }
        #expect(isolation == "serializable")
        #expect(readOnly == "on")
        #expect(writeError?.sqlState == "25006")
    }
}
