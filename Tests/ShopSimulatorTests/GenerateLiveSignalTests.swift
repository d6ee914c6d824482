import Foundation
import Postgres
import TestSupport
import Testing

/// `ondo generate --live` stopped by signals while its write waits for a lock, as `ondo serve` and `ondo demo` are.
@Suite struct GenerateLiveSignalTests {
    /// Neither Ctrl-C nor a second one stopped a live write waiting for a lock: the command ran on until the
    /// statement timeout, then ended with status 1 ("canceling statement due to statement timeout"; 23.2 s after the
    /// second Ctrl-C on an embedded cluster). A second signal now cancels the write and exits with 130 at once.
    @Test func aSecondCtrlCEndsALiveWriteWaitingForALockWith130() async throws {
        let db = try await TestPostgres.shared.freshDatabase("GenerateLiveSignals")
        let generate = try OndoProcess.start(
            ["generate", "--customers", "50", "--products", "5", "--orders", "100", "--reviews", "30"]
                + ["--live", "--rate", "50", "--log-level", "info"],
            environment: db.environment())
        for _ in 0..<600 where !generate.output().standardError.contains("ondo generate: live traffic at") {
            try await Task.sleep(for: .milliseconds(100))
        }
        let lock = LockedBox<PostgresConnection?>(nil)
        try await runBlocking {
            let connection = try db.connect()
            try connection.execute("BEGIN")
            try connection.execute("LOCK TABLE shop.customers, shop.orders, shop.reviews IN ACCESS EXCLUSIVE MODE")
            lock.mutate { $0 = connection }
        }
        defer { lock.mutate { $0?.close() } }
        #expect(try await Self.aSessionWaitsForALock(in: db), "the live writer never waited for the lock")

        generate.signal(SIGINT)
        try await Task.sleep(for: .milliseconds(500))
        let second = ContinuousClock.now
        generate.signal(SIGINT)
        let outcome = try await generate.waitForExit(seconds: 60)
        let seconds = second.duration(to: .now) / .seconds(1)
        print(
            "ondo generate --live, two Ctrl-C while its write waits for a lock: status \(outcome.status) "
                + "\(String(format: "%.2f", seconds)) s after the second\n\(outcome.standardError)")
        #expect(outcome.status == 130, "\(outcome.standardError)")
        #expect(seconds < 5)
        #expect(outcome.standardError.contains("live traffic cut short by a second signal"))
        // Its lines speak of what it writes; they spoke of `ondo serve`'s batches ("the workers finish the batches
        // in hand", "the batches in hand are abandoned … and given back").
        #expect(
            outcome.standardError.contains(
                "stopping: the live shop finishes writing the orders, reviews and sign-ups due"))
        #expect(
            outcome.standardError.contains(
                "shutdown cut short by a second signal: the order, review or sign-up being written is rolled back"))
        #expect(!outcome.standardError.contains("batch"), "\(outcome.standardError)")
        // The cancelled write does not go on in its backend until the statement timeout.
        #expect(!(try await Self.aSessionWaitsForALock(in: db, within: 1)), "the write still waits in the database")
    }

    /// True once another session of `db` waits for a lock, within `seconds`.
    static func aSessionWaitsForALock(in db: TestDatabase, within seconds: Double = 30) async throws -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
        repeat {
            let waiting = try await db.withConnection { connection in
                try connection.queryValue(
                    Int.self,
                    """
                    SELECT count(*) FROM pg_stat_activity
                    WHERE datname = current_database() AND wait_event_type = 'Lock'
                    """)
            }
            if waiting > 0 { return true }
            try await Task.sleep(for: .milliseconds(50))
        } while ContinuousClock.now < deadline
        return false
    }
}
