import Foundation
import Postgres
import TestSupport
import Testing

/// `ondo demo` cut short while one of its statements waits in the database (for a lock a test session holds): the
/// process cancels that statement before it exits. A backend does not notice that its client is gone while it waits,
/// so it used to wait on until statement_timeout (30 s; measured: gone 26.9 s after the exit), holding its place in
/// the lock queue. On a configured database: an embedded cluster is stopped, and its sessions with it.
@Suite(.serialized) struct DemoInterruptedStatementTests {
    /// How long the demo's sessions may outlive it: the server ends a cancelled statement at once, and a session
    /// whose client is gone once it reads the end of the socket.
    static let patience = 5.0

    /// A second Ctrl-C while the shop step waits for a lock ends the demo at once (status 130).
    @Test func aSecondCtrlCDuringTheShopStepCancelsItsWaitingStatement() async throws {
        let db = try await TestPostgres.shared.freshDatabase("DemoCtrlCShop")
        let holder = try db.connect()
        defer { holder.close() }
        try holder.execute("BEGIN")
        try holder.execute("LOCK shop.customers IN ACCESS EXCLUSIVE MODE")
        // Notice level: the first signal's log line says when the second may be sent.
        let demo = try OndoProcess.start(
            ["demo", "--duration", "1", "--customers", "100", "--log-level", "notice"], environment: db.environment())
        #expect(try await Self.waitForLockWaiter(on: "shop.customers", holder: holder, while: demo))

        try await Self.expectASecondCtrlCToEnd(
            demo, once: "asked to stop during start-up", exitingWithin: 10, leavingNoSessionBesides: holder)
    }

    /// A second Ctrl-C in the live step, while the shop's insert waits for a lock: the shutdown is cut short (130).
    @Test func aSecondCtrlCDuringTheLiveStepCancelsTheShopsWaitingInsert() async throws {
        let db = try await TestPostgres.shared.freshDatabase("DemoCtrlCLive")
        // Info level: the first signal's log line says when the second may be sent.
        let demo = try OndoProcess.start(
            ["demo", "--duration", "120", "--customers", "100", "--log-level", "info"], environment: db.environment())
        try await DemoCommandTests.waitUntil("the live step shows", process: demo) { $0.contains("time  shop events") }
        let holder = try db.connect()
        defer { holder.close() }
        try holder.execute("BEGIN")
        try holder.execute("LOCK shop.orders IN ACCESS EXCLUSIVE MODE")
        #expect(try await Self.waitForLockWaiter(on: "shop.orders", holder: holder, while: demo))

        try await Self.expectASecondCtrlCToEnd(
            demo, once: "shutting down: the workers finish the batches in hand", exitingWithin: 20,
            leavingNoSessionBesides: holder)
    }

    /// Sends Ctrl-C, and a second one once the first one's log line shows; expects the demo to exit with 130 within
    /// `seconds`, and none of its sessions to be left in the database `holder` is connected to.
    static func expectASecondCtrlCToEnd(
        _ demo: OndoProcess, once firstLogLine: String, exitingWithin seconds: Double,
        leavingNoSessionBesides holder: PostgresConnection, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        demo.signal(SIGINT)
        try await waitForLog(firstLogLine, in: demo)
        demo.signal(SIGINT)
        let outcome = try await demo.waitForExit(seconds: seconds)
        #expect(outcome.status == 130, "stderr: \(outcome.standardError)", sourceLocation: sourceLocation)
        let left = try await sessionsLeft(besides: holder, within: patience)
        #expect(
            left.isEmpty, "the demo's sessions still there \(patience) s after it exited: \(left)",
            sourceLocation: sourceLocation)
    }

    /// Waits (20 s at most, while `process` runs) until `process` has logged `text`. Two signals sent close together
    /// can reach the process as one (a signal does not queue behind another of its kind), so the second is sent only
    /// once the first has been taken — a fixed pause may be too short on a loaded machine.
    static func waitForLog(_ text: String, in process: OndoProcess) async throws {
        let deadline = Date().addingTimeInterval(20)
        while !process.output().standardError.contains(text) && process.isRunning && Date() < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(process.output().standardError.contains(text), "no \"\(text)\" logged")
    }

    /// Waits (20 s at most, while `process` runs) until a session waits for the lock `holder` holds on `table`.
    static func waitForLockWaiter(on table: String, holder: PostgresConnection, while process: OndoProcess)
        async throws -> Bool
    {
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline && process.isRunning {
            let waiting = try holder.queryValue(
                Int.self, "SELECT count(*)::int FROM pg_locks WHERE relation = \(table)::regclass AND NOT granted")
            if waiting > 0 { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    /// The other sessions of `holder`'s database (the exited demo's: the database is the test's own), polled for up
    /// to `seconds` until there are none; each as `pid state: query`.
    static func sessionsLeft(besides holder: PostgresConnection, within seconds: Double) async throws -> [String] {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            // `holder` is inside its transaction, where pg_stat_activity is read once and then kept: without a fresh
            // snapshot every poll saw the sessions of the first, taken while the exited demo's backends were still
            // ending (CI, a loaded machine: four idle sessions "left" for the whole 5 s).
            try holder.execute("SELECT pg_stat_clear_snapshot()")
            let rows = try holder.query(
                """
                SELECT pid, coalesce(state, '') AS state, left(query, 80) AS query FROM pg_stat_activity
                WHERE datname = current_database() AND pid <> pg_backend_pid()
                """)
            let left = try rows.map {
                "\(try $0.decode(Int32.self, "pid")) \(try $0.decode(String.self, "state")): "
                    + (try $0.decode(String?.self, "query") ?? "")
            }
            if left.isEmpty || Date() >= deadline { return left }
            try await Task.sleep(for: .milliseconds(200))
        }
    }
}
