import Foundation
import Postgres
import TestSupport
import Testing

/// Cancelling a running statement from another thread (``PostgresCancelHandle``), and a pool that cancels the
/// statement of a cancelled task.
@Suite(.serialized) struct CancelTests {
    @Test func aStatementCancelledFromAnotherThreadFailsAtOnceAndTheConnectionGoesOn() async throws {
        let db = try await TestPostgres.shared.database("Cancel")
        let (error, seconds, after) = try await db.withConnection { connection in
            Self.cancel(connection, onceItRuns: "SELECT pg_sleep(30)", watchingWith: db.configuration())
            let started = Date()
            var caught: PostgresError?
            do { try connection.execute("SELECT pg_sleep(30)") } catch let error as PostgresError { caught = error }
            let seconds = Date().timeIntervalSince(started)
            return (caught, seconds, try connection.queryValue(Int.self, "SELECT 1"))
        }
        print(String(format: "pg_sleep(30) cancelled after %.2f s", seconds))
        #expect(error?.code == .cancelled)
        #expect(error?.sqlState == PostgresError.SQLState.queryCanceled)
        #expect(seconds < 5, "cancelled, not slept through")
        #expect(after == 1)
    }

    @Test func aCancelledStatementRollsItsTransactionBack() async throws {
        let db = try await TestPostgres.shared.database("Cancel")
        let (error, inTransaction, rows) = try await db.withConnection { connection in
            try connection.execute("CREATE TEMP TABLE cancelled_write (n int)")
            Self.cancel(connection, onceItRuns: "SELECT pg_sleep(30)", watchingWith: db.configuration())
            var caught: PostgresError?
            do {
                try connection.withTransaction { connection in
                    try connection.execute("INSERT INTO cancelled_write VALUES (1)")
                    try connection.execute("SELECT pg_sleep(30)")
                }
            } catch let error as PostgresError {
                caught = error
            }
            return (
                caught, connection.isInTransaction,
                try connection.queryValue(Int.self, "SELECT count(*)::int FROM cancelled_write")
            )
        }
        #expect(error?.code == .cancelled)
        #expect(!inTransaction)
        #expect(rows == 0)
    }

    @Test func cancellingAnIdleConnectionIsHarmless() async throws {
        let db = try await TestPostgres.shared.database("Cancel")
        let (sent, value, afterClose) = try await db.withConnection { connection in
            let sent = connection.cancelHandle.cancel()
            // Give the server time to deliver the request to the idle session.
            Thread.sleep(forTimeInterval: 0.3)
            let value = try connection.queryValue(Int.self, "SELECT 1")
            connection.close()
            return (sent, value, connection.cancelHandle.cancel())
        }
        #expect(sent)
        #expect(value == 1)
        #expect(!afterClose, "a closed connection has nothing to cancel")
    }

    @Test func aStatementTimeoutIsStillAServerError() async throws {
        let db = try await TestPostgres.shared.database("Cancel")
        let error = try await db.withConnection { connection -> PostgresError? in
            try connection.execute("SET statement_timeout = 100")
            do { try connection.execute("SELECT pg_sleep(5)") } catch let error as PostgresError { return error }
            return nil
        }
        #expect(error?.code == .server)
        #expect(error?.sqlState == PostgresError.SQLState.queryCanceled)
    }

    /// A cancel request that the server accepts and never answers (libpq 15 would wait for it for minutes): neither
    /// the connection's statements nor closing it wait for the request, and `cancel()` gives up after its limit.
    /// The proxy lets the request go after 10 s, which ends the wait of a `cancel()` that has no limit.
    @Test func aCancelRequestTheServerNeverAnswersHoldsNothingUp() async throws {
        let (proxy, configuration) = try await Self.behindSilentCancelProxy()
        defer { proxy.stop() }
        let releaseAfter = 10.0
        let measured = try await runBlocking {
            let connection = try PostgresConnection(configuration: configuration, logger: TestPostgres.logger)
            let handle = connection.cancelHandle
            let cancelled = LockedBox<(sent: Bool, seconds: Double)?>(nil)
            let cancelReturned = DispatchSemaphore(value: 0)
            Thread {
                let started = Date()
                let sent = handle.cancel()
                cancelled.mutate { $0 = (sent, Date().timeIntervalSince(started)) }
                cancelReturned.signal()
            }.start()
            let deadline = Date().addingTimeInterval(5)
            while proxy.heldRequests == 0 && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
            let held = proxy.heldRequests
            let releaser = Thread {
                Thread.sleep(forTimeInterval: releaseAfter)
                proxy.release()
            }
            releaser.start()
            var started = Date()
            let value = try connection.queryValue(Int.self, "SELECT 1")
            let querySeconds = Date().timeIntervalSince(started)
            started = Date()
            connection.close()
            let closeSeconds = Date().timeIntervalSince(started)
            _ = cancelReturned.wait(timeout: .now() + releaseAfter + 5)
            return (held, value, querySeconds, closeSeconds, cancelled.mutate { $0 }, handle.cancel())
        }
        let (held, value, querySeconds, closeSeconds, cancelled, afterClose) = measured
        print(
            String(
                format: "a cancel request never answered: a statement meanwhile took %.3f s, closing %.3f s, "
                    + "cancel() returned %@ after %.2f s (limit %.0f s)",
                querySeconds, closeSeconds, cancelled.map { "\($0.sent)" } ?? "nothing", cancelled?.seconds ?? -1,
                PostgresCancelHandle.requestTimeLimit))
        #expect(held == 1, "the request reached the silent server")
        #expect(value == 1)
        #expect(querySeconds < 1, "a statement does not wait for the cancel request")
        #expect(closeSeconds < 1, "closing does not wait for the cancel request")
        #expect(cancelled?.sent == false, "an unanswered request is not reported as sent")
        #expect(
            (cancelled?.seconds ?? .infinity) < PostgresCancelHandle.requestTimeLimit + 1.5,
            "cancel() gives up after its limit, not when the server lets go")
        #expect(!afterClose)
    }

    /// A pooled task cancelled while the server does not answer the cancel request: the pool stops waiting for the
    /// request after its limit, the task's statement ends as it would have, and the connection is closed rather than
    /// handed to the next task, which the request could still reach.
    @Test func aPoolDropsAConnectionThatAnUnansweredCancelRequestMayStillReach() async throws {
        let (proxy, configuration) = try await Self.behindSilentCancelProxy()
        defer { proxy.stop() }
        let pool = PostgresPool(
            configuration: configuration, maxConnections: 1, cancelsStatementsOfCancelledTasks: true,
            logger: TestPostgres.logger)
        // Lets go of the held requests after 10 s: without a limit the pool would wait for them until then.
        Thread {
            Thread.sleep(forTimeInterval: 10)
            proxy.release()
        }.start()
        let started = Date()
        let first = Task {
            try await pool.withConnection { connection -> Int32 in
                let pid = connection.backendPID
                try connection.execute("SELECT pg_sleep(1)")
                return pid
            }
        }
        try await Task.sleep(for: .milliseconds(200))
        first.cancel()
        let firstPID = try await first.value
        let seconds = Date().timeIntervalSince(started)
        let nextPID = try await pool.withConnection { $0.backendPID }
        print(
            String(
                format: "a pooled task whose cancel request went unanswered ended after %.2f s; backend %d, then %d",
                seconds, firstPID, nextPID))
        #expect(proxy.heldRequests >= 1, "the request reached the silent server")
        #expect(
            seconds < PostgresCancelHandle.requestTimeLimit + 2, "the pool waited for the request at most its limit")
        #expect(nextPID != firstPID, "the connection the request may still reach is not reused")
        await pool.close()
    }

    /// A task whose statement waits for a lock that someone else holds: with the option, cancelling the task cancels
    /// the statement, its transaction rolls back, and the connection serves the next task.
    @Test func aPoolCancelsTheStatementOfACancelledTask() async throws {
        let db = try await TestPostgres.shared.database("Cancel")
        let pool = cancellingPool(db)
        let holder = try db.connect()
        defer { holder.close() }
        try holder.execute("SELECT pg_advisory_lock(4242)")
        let waiting = Task {
            try await pool.withTransaction { connection in
                try connection.execute("SELECT pg_advisory_xact_lock(4242)")
            }
        }
        try await waitForAdvisoryLockWaiter(db, key: 4242)
        let cancelled = Date()
        waiting.cancel()
        let result = await waiting.result
        let seconds = Date().timeIntervalSince(cancelled)
        print(String(format: "a pooled lock wait cancelled after %.2f s", seconds))
        #expect((result.failure as? PostgresError)?.code == .cancelled)
        #expect(seconds < 5)
        let (value, inTransaction) = try await pool.withConnection { connection in
            (try connection.queryValue(Int.self, "SELECT 1"), connection.isInTransaction)
        }
        #expect(value == 1)
        #expect(!inTransaction)
        #expect(
            try holder.queryValue(
                Int.self,
                "SELECT count(*)::int FROM pg_locks WHERE locktype = 'advisory' AND objid = 4242 AND NOT granted"
            ) == 0, "the cancelled statement no longer waits")
        await pool.close()
    }

    /// After a cancelled task's statement failed, its closure's later statements are refused before they are sent:
    /// plain queries, and also COPY and the prepare step of a prepared statement (a COPY would load its rows, a
    /// PREPARE could wait for a table lock, and neither would be cancelled again).
    @Test func aPoolRefusesTheCopyAndThePrepareOfACancelledTask() async throws {
        let db = try await TestPostgres.shared.database("Cancel")
        let pool = cancellingPool(db)
        let holder = try db.connect()
        defer { holder.close() }
        try holder.execute("CREATE TABLE copied_after_cancel (n int)")
        try holder.execute("SELECT pg_advisory_lock(4444)")
        let waiting = Task {
            try await pool.withConnection { connection -> [PostgresError.Code?] in
                var waitError: PostgresError?
                do { try connection.execute("SELECT pg_advisory_lock(4444)") } catch let error as PostgresError {
                    waitError = error
                }
                func refusal(_ statement: () throws -> Void) -> PostgresError.Code? {
                    do { try statement() } catch let error as PostgresError { return error.code } catch {}
                    return nil
                }
                return [
                    waitError?.code,
                    refusal { try connection.execute("SELECT 1") },
                    refusal { try connection.copyFrom(table: "copied_after_cancel", columns: ["n"], rows: [[1]]) },
                    refusal { _ = try connection.prepare("SELECT count(*) FROM copied_after_cancel") },
                ]
            }
        }
        try await waitForAdvisoryLockWaiter(db, key: 4444)
        waiting.cancel()
        let codes = try await waiting.value
        print("a cancelled task's lock wait, query, COPY and prepare: \(codes)")
        #expect(codes[0] == .cancelled, "the lock wait was cancelled")
        #expect(codes[1] == .cancelled, "a plain query is refused")
        #expect(codes[2] == .cancelled, "COPY is refused")
        #expect(codes[3] == .cancelled, "the prepare step is refused")
        #expect(try holder.queryValue(Int.self, "SELECT count(*)::int FROM copied_after_cancel") == 0)
        let prepared = try await pool.withConnection { connection in
            try connection.queryValue(
                Int.self,
                "SELECT count(*)::int FROM pg_prepared_statements WHERE statement LIKE '%copied_after_cancel%'")
        }
        #expect(prepared == 0, "nothing was prepared for the cancelled task")
        await pool.close()
    }

    /// A cancel that races the end of a task's closure never reaches the statement of the task that gets the
    /// connection next: the pool hands the connection on only once the cancel request has reached the server, and
    /// the server ignores a request that finds its session idle. Cancels are timed to land around the end of the
    /// first task's statement, when the second task's statement is about to be sent.
    @Test func aCancelRacingTheEndOfATaskNeverCancelsTheNextTasksStatement() async throws {
        let db = try await TestPostgres.shared.database("Cancel")
        let pool = cancellingPool(db)
        var nextCancelled = 0
        var firstCancelled = 0
        for round in 0..<40 {
            let first = Task { try await pool.execute("SELECT pg_sleep(0.03)") }
            let second = Task {
                try await Task.sleep(for: .milliseconds(5))
                return try await pool.execute("SELECT pg_sleep(0.05)")
            }
            try await Task.sleep(for: .milliseconds(20 + round % 20))
            first.cancel()
            if case .failure = await first.result { firstCancelled += 1 }
            if case .failure(let error) = await second.result {
                nextCancelled += 1
                Issue.record("round \(round): the next task's statement failed: \(error)")
            }
        }
        print("cancel races: \(firstCancelled) of 40 first statements cancelled, \(nextCancelled) next ones")
        #expect(nextCancelled == 0)
        await pool.close()
    }

    /// Without the option a pool lets a cancelled task's closure run to its end, as before.
    @Test func aPoolWithoutTheOptionLetsACancelledTaskFinish() async throws {
        let db = try await TestPostgres.shared.database("Cancel")
        let pool = db.makePool(maxConnections: 1)
        let holder = try db.connect()
        defer { holder.close() }
        try holder.execute("SELECT pg_advisory_lock(4343)")
        let waiting = Task {
            try await pool.withTransaction { connection in
                try connection.execute("SELECT pg_advisory_xact_lock(4343)")
            }
        }
        try await waitForAdvisoryLockWaiter(db, key: 4343)
        waiting.cancel()
        try await Task.sleep(for: .milliseconds(500))
        try holder.execute("SELECT pg_advisory_unlock(4343)")
        #expect(try await waiting.value == 1)
        await pool.close()
    }

    /// A pool of one connection with the option under test: it cancels the statement of a cancelled task.
    private func cancellingPool(_ db: TestDatabase) -> PostgresPool {
        PostgresPool(
            configuration: db.configuration(), maxConnections: 1, cancelsStatementsOfCancelledTasks: true,
            logger: TestPostgres.logger)
    }

    private func waitForAdvisoryLockWaiter(_ db: TestDatabase, key: Int) async throws {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            let waiters = try await db.withConnection { connection in
                try connection.queryValue(
                    Int.self,
                    """
                    SELECT count(*)::int FROM pg_locks
                    WHERE locktype = 'advisory' AND objid::bigint = \(key) AND NOT granted
                    """)
            }
            if waiters == 1 { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("no statement waited for the advisory lock")
    }

    /// Cancels `connection`'s statement from a thread of its own once `pg_stat_activity` shows the connection running
    /// `statement` (looked at through another connection): a cancel sent after a fixed pause could arrive before the
    /// statement on a starved machine, be ignored by the idle session, and leave the statement to run its course.
    private static func cancel(
        _ connection: PostgresConnection, onceItRuns statement: String,
        watchingWith configuration: PostgresConfiguration
    ) {
        let (handle, pid) = (connection.cancelHandle, connection.backendPID)
        Thread {
            guard let watcher = try? PostgresConnection(configuration: configuration, logger: TestPostgres.logger)
            else {
                return
            }
            defer { watcher.close() }
            let deadline = Date().addingTimeInterval(20)
            while Date() < deadline {
                let running = try? watcher.queryValue(
                    Bool.self,
                    """
                    SELECT EXISTS (SELECT FROM pg_stat_activity WHERE pid = \(pid) AND state = 'active'
                                   AND query = \(statement))
                    """)
                if running == true { break }
                Thread.sleep(forTimeInterval: 0.01)
            }
            handle.cancel()
        }.start()
    }

    /// A proxy to the test database's server that holds cancel requests unanswered, and a configuration that
    /// connects through it.
    private static func behindSilentCancelProxy() async throws -> (SilentCancelProxy, PostgresConfiguration) {
        let db = try await TestPostgres.shared.database("Cancel")
        let proxy = try await runBlocking {
            let probe = try db.connect()
            defer { probe.close() }
            return try SilentCancelProxy(serverOf: probe)
        }
        return (proxy, try proxy.configuration(db.configuration(), connectionString: db.connectionString()))
    }
}

extension Result {
    fileprivate var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
