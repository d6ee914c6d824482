import Foundation
@testable import Postgres
import TestSupport
import Testing

/// The registry of running statements (what a process cut short cancels before it exits) counts a connection while
/// a statement runs on it and forgets it however the statement ended: a connection left counted would be sent a
/// cancel request for whatever it runs later, and kept alive by the registry. Checked through
/// `RunningStatements.isRunning` rather than `cancelEveryRunningStatement()`, which would cancel the statements of
/// the tests running beside these.
@Suite(.serialized) struct RunningStatementsTests {
    private func database() async throws -> TestDatabase {
        try await TestPostgres.shared.database("RunningStatements")
    }

    @Test func aStatementIsCountedWhileItRunsAndNotAfterItFails() async throws {
        try await database().withConnection { conn in
            let handle = conn.cancelHandle
            // The COPY's rows are written while the statement runs.
            try conn.execute("CREATE TEMP TABLE copied (n int)")
            var countedDuringCopy = false
            try conn.copyFrom(table: "copied", columns: ["n"]) { writer in
                countedDuringCopy = RunningStatements.isRunning(handle)
                try writer.append([1])
            }
            #expect(countedDuringCopy)
            #expect(!RunningStatements.isRunning(handle), "after a COPY")

            #expect(throws: PostgresError.self) { try conn.execute("SELECT 1 / \(0)") }
            #expect(!RunningStatements.isRunning(handle), "after a failed statement")

            #expect(throws: PostgresError.self) { try conn.runScript("SELECT 1; SELECT * FROM no_such_table") }
            #expect(!RunningStatements.isRunning(handle), "after a failed script")

            #expect(throws: PostgresError.self) { try conn.query("SELECT 1 / \(0)", prepared: true) }
            #expect(!RunningStatements.isRunning(handle), "after a failed prepared statement")

            #expect(throws: PostgresError.self) { _ = try conn.prepare("SELECT * FROM no_such_table") }
            #expect(!RunningStatements.isRunning(handle), "after a failed PREPARE")
        }
    }

    @Test func aCopyWhoseRowsFailIsNotCountedAfterwards() async throws {
        struct Stop: Error {}
        try await database().withConnection { conn in
            try conn.execute("CREATE TEMP TABLE refused (n int NOT NULL)")
            #expect(throws: Stop.self) {
                try conn.copyFrom(table: "refused", columns: ["n"]) { _ in throw Stop() }
            }
            #expect(!RunningStatements.isRunning(conn.cancelHandle), "after a COPY its writer abandoned")
            #expect(throws: PostgresError.self) {
                try conn.copyFrom(table: "refused", columns: ["n"], rows: [[nil]])
            }
            #expect(!RunningStatements.isRunning(conn.cancelHandle), "after a COPY the server refused")
        }
    }

    @Test func aRefusedStatementIsNeverCounted() async throws {
        try await database().withConnection { conn in
            conn.cancelHandle.refuseStatements()
            defer { conn.cancelHandle.allowStatements() }
            #expect(throws: PostgresError.self) { try conn.execute("SELECT 1") }
            #expect(!RunningStatements.isRunning(conn.cancelHandle), "a statement refused before it was sent")
        }
    }

    @Test func aCancelledStatementIsNotCountedAfterwards() async throws {
        try await database().withConnection { conn in
            let handle = conn.cancelHandle
            let counted = Locked(false)
            let canceller = Thread {
                // Until the sleep below is counted (at most 10 s), then cancel it.
                let deadline = Date().addingTimeInterval(10)
                while !RunningStatements.isRunning(handle) && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
                counted.withLock { $0 = RunningStatements.isRunning(handle) }
                // A request that reaches the server before the statement does is ignored: try until it ends.
                while RunningStatements.isRunning(handle) && Date() < deadline {
                    handle.cancel()
                    Thread.sleep(forTimeInterval: 0.1)
                }
            }
            canceller.start()
            let error = #expect(throws: PostgresError.self) { try conn.execute("SELECT pg_sleep(30)") }
            #expect(error?.code == .cancelled)
            #expect(counted.withLock { $0 }, "counted while it ran")
            #expect(!RunningStatements.isRunning(handle), "after it was cancelled")
        }
    }
}
