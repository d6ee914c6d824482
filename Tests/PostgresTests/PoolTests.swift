import Dispatch
import Foundation
import Postgres
import TestSupport
import Testing

/// The bounded pool: concurrency, replacement of broken connections, cleanup, cancellation.
@Suite(.serialized) struct PoolTests {
    private func database() async throws -> TestDatabase {
        try await TestPostgres.shared.database("Pool")
    }

    @Test func eightTasksTimesAThousandQueriesOverFourConnections() async throws {
        let db = try await database()
        let pool = db.makePool(maxConnections: 4)
        let started = Date()
        let results = try await withThrowingTaskGroup(of: (Int, Set<Int32>).self) { group in
            for task in 0..<8 {
                group.addTask {
                    var correct = 0
                    var backends = Set<Int32>()
                    for index in 0..<1_000 {
                        let value = task * 1_000 + index
                        let (doubled, pid) = try await pool.withConnection { conn in
                            let row = try conn.query("SELECT \(value)::int8 * 2 AS doubled, pg_backend_pid() AS pid")[0]
                            return (try row.decode(Int.self, "doubled"), try row.decode(Int32.self, "pid"))
                        }
                        if doubled == value * 2 { correct += 1 }
                        backends.insert(pid)
                    }
                    return (correct, backends)
                }
            }
            var total = 0
            var backends = Set<Int32>()
            for try await (correct, pids) in group {
                total += correct
                backends.formUnion(pids)
            }
            return (total, backends)
        }
        let seconds = Date().timeIntervalSince(started)
        print(
            "ondo tests: pool ran 8,000 queries from 8 tasks over \(results.1.count) connections in "
                + "\(String(format: "%.2f", seconds)) s (\(Int(8_000 / seconds)) queries/s)")
        #expect(results.0 == 8_000)
        #expect(results.1.count <= 4)
        #expect(pool.statistics.slots <= 4)
        #expect(pool.statistics.inUse == 0)
        await pool.close()
    }

    @Test func closuresRunOnTheConnectionsOwnQueue() async throws {
        let pool = try await database().makePool(maxConnections: 2)
        #expect(!PostgresPool.isOnConnectionQueue)
        let inside = try await pool.withConnection { _ in PostgresPool.isOnConnectionQueue }
        #expect(inside)
        await pool.close()
    }

    @Test func idleConnectionKilledByTheServerIsReplacedTransparently() async throws {
        let db = try await database()
        let pool = db.makePool(maxConnections: 1)
        let first = try await pool.withConnection { $0.backendPID }
        try await terminate(first, in: db)
        let second = try await pool.withConnection { conn in
            (conn.backendPID, try conn.queryValue(Int.self, "SELECT 7"))
        }
        #expect(second.0 != first)
        #expect(second.1 == 7)
        await pool.close()
    }

    @Test func statementOnABrokenConnectionFailsClearlyThenThePoolRecovers() async throws {
        let db = try await database()
        let pool = db.makePool(maxConnections: 1)
        let sleeper = Task {
            try await pool.withConnection { conn in try conn.execute("SELECT pg_sleep(30) /* ondo-pool-victim */") }
        }
        let victim = try await waitForBackend(running: "ondo-pool-victim", in: db)
        try await terminate(victim, in: db)
        let error = await #expect(throws: PostgresError.self) { try await sleeper.value }
        #expect(error?.code == .connectionClosed)
        let value = try await pool.withConnection { try $0.queryValue(Int.self, "SELECT 42") }
        #expect(value == 42)
        await pool.close()
    }

    @Test func transactionLeftOpenIsRolledBackBeforeReuse() async throws {
        let db = try await database()
        try await db.withConnection { try $0.execute("CREATE TABLE IF NOT EXISTS pool_leftover (n int)") }
        let pool = db.makePool(maxConnections: 1)
        try await pool.withConnection { conn in
            try conn.execute("BEGIN")
            try conn.execute("INSERT INTO pool_leftover VALUES (1)")
        }
        let (inTransaction, count) = try await pool.withConnection { conn in
            (conn.isInTransaction, try conn.queryValue(Int.self, "SELECT count(*) FROM pool_leftover"))
        }
        #expect(!inTransaction)
        #expect(count == 0)
        await pool.close()
    }

    @Test func poolTransactionCommitsAndRollsBack() async throws {
        struct Boom: Error {}
        let db = try await database()
        try await db.withConnection { try $0.execute("CREATE TABLE IF NOT EXISTS pool_tx (n int)") }
        let pool = db.makePool(maxConnections: 2)
        try await pool.withTransaction { try $0.execute("INSERT INTO pool_tx VALUES (1)") }
        await #expect(throws: Boom.self) {
            try await pool.withTransaction { conn in
                try conn.execute("INSERT INTO pool_tx VALUES (2)")
                throw Boom()
            }
        }
        let values = try await pool.query("SELECT n FROM pool_tx ORDER BY n").map { try $0.decode(Int.self, "n") }
        #expect(values == [1])
        await pool.close()
    }

    @Test func waitingCallerCanBeCancelled() async throws {
        let pool = try await database().makePool(maxConnections: 1)
        let holder = Task { try await pool.withConnection { conn in try conn.execute("SELECT pg_sleep(1)") } }
        try await Task.sleep(for: .milliseconds(100))
        let waiter = Task { try await pool.withConnection { $0.backendPID } }
        try await Task.sleep(for: .milliseconds(100))
        #expect(pool.statistics.waiting == 1)
        waiter.cancel()
        let error = await #expect(throws: PostgresError.self) { try await waiter.value }
        #expect(error?.code == .cancelled)
        _ = try await holder.value
        await pool.close()
    }

    @Test func closedPoolRefusesCallers() async throws {
        let pool = try await database().makePool(maxConnections: 1)
        _ = try await pool.withConnection { $0.backendPID }
        await pool.close()
        let error = await #expect(throws: PostgresError.self) { try await pool.withConnection { $0.backendPID } }
        #expect(error?.code == .poolClosed)
    }

    private func terminate(_ pid: Int32, in db: TestDatabase) async throws {
        try await db.withConnection { admin in
            try admin.execute("SELECT pg_terminate_backend(\(pid))")
            for _ in 0..<100 {
                let alive = try admin.queryValue(
                    Bool.self, "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = \(pid))")
                if !alive { return }
                Thread.sleep(forTimeInterval: 0.02)
            }
        }
    }

    private func waitForBackend(running marker: String, in db: TestDatabase) async throws -> Int32 {
        try await db.withConnection { admin in
            for _ in 0..<250 {
                let pids = try admin.query(
                    "SELECT pid FROM pg_stat_activity WHERE query LIKE \("%" + marker + "%") AND pid <> pg_backend_pid()"
                )
                if let row = pids.first { return try row.decode(Int32.self, "pid") }
                Thread.sleep(forTimeInterval: 0.02)
            }
            throw PostgresError(code: .unexpectedResponse, message: "the statement never started")
        }
    }
}
