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
}
