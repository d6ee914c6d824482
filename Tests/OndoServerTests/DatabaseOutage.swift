import Foundation
import Postgres
import TestSupport

/// A database that fails for a few seconds for one login, as during a restart or a failover: its connections drop
/// and new ones are refused. Other suites, on databases of their own, are not touched.
enum DatabaseOutage {
    /// Cuts `user` off this database for 3 s: no new connection may be made (CONNECT revoked from the groups that
    /// give it), and its open ones are ended, as a restarting server would. Returns "began", or what went wrong.
    static func begin(_ db: TestDatabase, user: String) -> String {
        do {
            let admin = try db.connect()
            defer { admin.close() }
            try admin.execute("REVOKE CONNECT ON DATABASE \(identifier: db.name) FROM PUBLIC, ondo_app")
            let canConnect = try admin.queryValue(
                Bool.self, "SELECT has_database_privilege(\(user), current_database(), 'CONNECT')")
            guard !canConnect else { return "failed: \(user) could still connect" }
            try admin.execute(
                """
                SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                WHERE datname = current_database() AND usename = \(user)
                """)
        } catch {
            return "failed: \(error)"
        }
        Thread.detachNewThread {
            Thread.sleep(forTimeInterval: 3)
            do {
                let admin = try db.connect()
                defer { admin.close() }
                try admin.execute("GRANT CONNECT ON DATABASE \(identifier: db.name) TO PUBLIC, ondo_app")
            } catch {
                print("ending the outage failed: \(error)")
            }
        }
        return "began"
    }

    /// What `body` returned or threw, or nil when it was still running after `seconds` (a bound, so that a command
    /// that waits for ever fails its test instead of holding it; not a measurement).
    static func outcome<Result: Sendable>(
        within seconds: Double, _ body: @escaping @Sendable () async throws -> Result
    ) async -> Swift.Result<Result, any Error>? {
        await withTaskGroup(of: Swift.Result<Result, any Error>?.self) { group in
            group.addTask {
                do {
                    return .success(try await body())
                } catch {
                    return .failure(error)
                }
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(seconds))
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }
}
