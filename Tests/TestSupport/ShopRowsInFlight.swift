import Foundation
import Postgres

/// Another writer of the shop, caught in the middle of its transaction: customer 1 and product 1 written, not yet
/// committed, so a second writer that checked the ids first finds them free and then waits on them.
public final class ShopRowsInFlight: Sendable {
    private let connection = LockedBox<PostgresConnection?>(nil)
    private let database: TestDatabase

    private init(database: TestDatabase) {
        self.database = database
    }

    /// Opens the transaction and writes the rows.
    public static func begin(in database: TestDatabase) async throws -> ShopRowsInFlight {
        let writer = ShopRowsInFlight(database: database)
        try await runBlocking {
            let connection = try database.connect()
            try connection.execute("BEGIN")
            try connection.execute(
                "INSERT INTO shop.customers (id, name, created_at) VALUES (1, '김민준', now() - interval '200 days')")
            try connection.execute(
                "INSERT INTO shop.products (id, sku, name, category, price) VALUES (1, 'CL-000001', '기모 자켓', '의류', 39000)"
            )
            writer.connection.mutate { $0 = connection }
        }
        return writer
    }

    /// Waits (up to 60 s) until another session of the database waits for a lock — the second writer, on these
    /// rows — then commits and closes the connection.
    public func commitOnceAnotherSessionWaits() async throws {
        for _ in 0..<3_000 {
            let waiting = try await database.withConnection { connection in
                try connection.queryValue(
                    Int.self,
                    """
                    SELECT count(*) FROM pg_stat_activity
                    WHERE datname = current_database() AND wait_event_type = 'Lock'
                    """)
            }
            if waiting > 0 { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        try await runBlocking {
            let failure: (any Error)? = self.connection.mutate { connection in
                defer {
                    connection?.close()
                    connection = nil
                }
                do {
                    try connection?.execute("COMMIT")
                    return nil
                } catch {
                    return error
                }
            }
            if let failure { throw failure }
        }
    }
}
