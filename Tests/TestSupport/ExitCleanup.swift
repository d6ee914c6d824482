import EmbeddedPostgres
import Foundation
import Postgres

/// What the test process undoes when it exits: kill the helper processes it started (a test's PgBouncer), stop the
/// embedded cluster (its watchdog then deletes the folder), or drop the databases and roles it created on an external
/// server.
final class ExitCleanup: @unchecked Sendable {
    static let shared = ExitCleanup()

    private let lock = NSLock()
    private var embedded: EmbeddedPostgres?
    private var admin: PostgresConfiguration?
    private var databases: [String] = []
    private var roles: [String] = []
    private var files: [String] = []
    private var processes: [pid_t] = []
    private var registered = false

    func add(embedded server: EmbeddedPostgres) {
        update { $0.embedded = server }
    }

    func configure(admin configuration: PostgresConfiguration) {
        update { $0.admin = configuration }
    }

    func add(database: String) {
        update { $0.databases.append(database) }
    }

    func add(role: String) {
        update { $0.roles.append(role) }
    }

    func add(file: String) {
        update { $0.files.append(file) }
    }

    /// A helper process to kill (SIGKILL, by its PID) if it still runs at exit.
    func add(process: pid_t) {
        update { $0.processes.append(process) }
    }

    private func update(_ change: (ExitCleanup) -> Void) {
        lock.lock()
        change(self)
        if !registered {
            registered = true
            atexit { ExitCleanup.shared.run() }
        }
        lock.unlock()
    }

    private func run() {
        lock.lock()
        defer { lock.unlock() }
        for file in files { unlink(file) }
        // A PID that was already reaped (the test stopped it) names no child any more: waitpid says so first.
        for process in processes where waitpid(process, nil, WNOHANG) == 0 { kill(process, SIGKILL) }
        if let embedded {
            embedded.requestStop()
            return
        }
        guard let admin, let connection = try? PostgresConnection(configuration: admin, logger: TestPostgres.logger)
        else { return }
        defer { connection.close() }
        for database in databases.reversed() {
            _ = try? connection.execute("DROP DATABASE IF EXISTS \(identifier: database) WITH (FORCE)")
        }
        for role in roles {
            _ = try? connection.execute("DROP ROLE IF EXISTS \(identifier: role)")
        }
    }
}
