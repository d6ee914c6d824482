import Foundation
import Postgres

/// Holds an advisory lock in a database so that tests can line up competitors behind it, then lets them go at once.
///
/// ```swift
/// let gate = try await AdvisoryLockGate.close(db, key: Migrator.advisoryLockKey)
/// async let a = …; async let b = …          // both block on the lock
/// try await gate.open(afterWaiters: 2)      // waits until two sessions wait, then releases
/// ```
public final class AdvisoryLockGate: Sendable {
    private let connection = LockedBox<PostgresConnection?>(nil)
    private let database: TestDatabase
    private let key: Int64

    private init(database: TestDatabase, key: Int64) {
        self.database = database
        self.key = key
    }

    /// Takes the session-level advisory lock `key` in `database` on a connection of its own.
    public static func close(_ database: TestDatabase, key: Int64) async throws -> AdvisoryLockGate {
        let gate = AdvisoryLockGate(database: database, key: key)
        try await runBlocking {
            let connection = try database.connect()
            try connection.execute("SELECT pg_advisory_lock(\(key))")
            gate.connection.mutate { $0 = connection }
        }
        return gate
    }

    /// Waits (up to 20 s) until `count` other sessions wait for the lock, then releases it. Returns how many waited.
    @discardableResult
    public func open(afterWaiters count: Int) async throws -> Int {
        var waiting = 0
        for _ in 0..<1_000 {
            waiting = try await database.withConnection { conn in
                try conn.queryValue(
                    Int.self,
                    """
                    SELECT count(*) FROM pg_locks
                    WHERE locktype = 'advisory' AND NOT granted
                      AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                    """)
            }
            if waiting >= count { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        try await runBlocking {
            self.connection.mutate { connection in
                connection?.close()  // ending the session releases the lock
                connection = nil
            }
        }
        return waiting
    }
}
