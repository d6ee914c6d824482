import CRMStore
import EmbeddedPostgres
import Foundation
import Logging
import Postgres

/// A private PostgreSQL cluster for `ondo demo` and for any command given `--embedded`: started from the
/// machine's own `initdb`/`pg_ctl` in `.ondo/postgres` (configurable), with a database `ondo` migrated on
/// every start and a login `app_server` in role `ondo_app`. A later run reuses the cluster; `reset` starts
/// clean. While one ondo process runs the cluster, others given the same folder share it, and it keeps running
/// while any of them uses it: ``stop()`` stops it only in the last one out, and if a process dies instead, its
/// watchdog process stops it once no other uses it (``EmbeddedPostgres/Options/lastUserStops``).
///
/// It listens only on a Unix socket in a private folder and trusts local connections: development data only.
public final class EmbeddedDatabase: Sendable {
    /// Where and how the cluster is kept.
    public struct Options: Sendable {
        /// The data folder asked for, relative to the working directory: `--embedded-dir`, `ONDO_EMBEDDED_DIR`,
        /// else `.ondo/postgres`.
        public var directory: String
        /// Delete the cluster's data first.
        public var reset = false
        /// The command that migrates this cluster, named when its migration fails in a way a second run can mend
        /// (``Migrator/migrateCommand``): `ondo migrate --embedded`, with the folder when one was given.
        public var migrateCommand = "ondo migrate --embedded"

        /// The default folder.
        public static let defaultDirectory = ".ondo/postgres"

        /// Options for `directory`, else `ONDO_EMBEDDED_DIR`, else the default folder.
        public init(
            directory: String? = nil, reset: Bool = false,
            environment: [String: String] = ProcessInfo.processInfo.environment
        ) {
            self.directory =
                directory ?? environment["ONDO_EMBEDDED_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? Self.defaultDirectory
            self.reset = reset
        }
    }

    /// The database Ondo's schema lives in.
    public static let databaseName = "ondo"
    /// The login the server and the CLI use (a member of `ondo_app`).
    public static let applicationLogin = "app_server"

    /// The running cluster.
    public let server: EmbeddedPostgres
    /// True when this start created the cluster (initdb ran), false when an earlier one was reused.
    public let created: Bool
    /// Sentences worth telling the user: where the cluster is, and why there if not where asked.
    public let notes: [String]

    private init(server: EmbeddedPostgres, created: Bool, notes: [String]) {
        self.server = server
        self.created = created
        self.notes = notes
    }

    /// Starts (creating or reusing) the cluster, makes sure the database exists and — unless `migrations` is nil,
    /// for `ondo migrate`, which applies them itself — is migrated with the files in `migrations` and has the
    /// application login. Blocking: call it off the cooperative pool or from synchronous code.
    public static func start(options: Options, migrations: URL?, logger: Logger) throws -> EmbeddedDatabase {
        _ = try PostgresBinaries.locate()  // before creating anything: names the package to install
        let placement = try EmbeddedPostgres.placement(for: options.directory)
        let dataDirectory = placement.dataDirectory
        var notes = placement.note.map { [$0] } ?? []
        // Until the cluster runs and is migrated: another ondo process starting at the same moment waits, then shares;
        // one done with the cluster waits to look whether it is the last one out.
        let startLock = StartLock.acquire(forClusterIn: dataDirectory)
        defer { startLock?.release() }
        if options.reset {
            if let running = try EmbeddedPostgres.running(in: dataDirectory, logger: logger) {
                throw EmbeddedPostgresError(
                    code: .invalidDataDirectory,
                    message: "another process runs the PostgreSQL cluster in \(dataDirectory) (pid "
                        + "\(running.postmasterPID.map(String.init) ?? "?")); stop it before --reset")
            }
            try removeCluster(in: dataDirectory)
        }
        var serverOptions = EmbeddedPostgres.Options()
        serverOptions.stopWhenProcessExits = true
        serverOptions.lastUserStops = true
        let usedByAnother = EmbeddedPostgres.isUsedByAnotherProcess(clusterIn: dataDirectory)
        if let running = try EmbeddedPostgres.running(in: dataDirectory, options: serverOptions, logger: logger) {
            // Another ondo process (a demo, ondo serve --embedded) runs it: share it; the last one out stops it.
            do {
                try prepareDatabase(on: running, migrations: migrations, options: options, logger: logger)
            } catch {
                try? running.stop(startLockHeld: true)
                throw error
            }
            notes.append(
                usedByAnother
                    ? "using the PostgreSQL cluster that another ondo process runs in \(dataDirectory)"
                    : "using the PostgreSQL cluster left running in \(dataDirectory), which no ondo process uses (one "
                        + "was killed with its watchdog, say); it is stopped when this command ends, unless another "
                        + "ondo process uses it then")
            return EmbeddedDatabase(server: running, created: false, notes: notes)
        }
        let created = !FileManager.default.fileExists(atPath: dataDirectory + "/PG_VERSION")
        notes.append(
            created
                ? "creating a private PostgreSQL cluster in \(dataDirectory)"
                : "using the private PostgreSQL cluster in \(dataDirectory)")

        let server = try EmbeddedPostgres.start(dataDirectory: dataDirectory, options: serverOptions, logger: logger)
        do {
            try prepareDatabase(on: server, migrations: migrations, options: options, logger: logger)
        } catch {
            try? server.stop(startLockHeld: true)
            throw error
        }
        return EmbeddedDatabase(server: server, created: created, notes: notes)
    }

    /// `base` pointed at this cluster: the application connection as ``applicationLogin``, the administrator's
    /// as the cluster's superuser (migrations, and writing generated data as the shop).
    public func databaseSettings(from base: DatabaseSettings) -> DatabaseSettings {
        var settings = base
        settings.url = server.connectionString(database: Self.databaseName, user: Self.applicationLogin)
        settings.passwordFile = nil
        // The cluster's own socket, no pooler: a listen URL configured for another database would be refused.
        settings.listenUrl = nil
        settings.adminUrl = server.connectionString(database: Self.databaseName)
        settings.adminPasswordFile = nil
        return settings
    }

    /// `error`, and where to look, when it is the connection to this cluster that was lost or refused: the client
    /// sees only "server closed the connection unexpectedly", and the reason — a full disk, say — is in the server's
    /// log. Other errors pass through.
    public func explain(_ error: any Error) -> any Error {
        guard let failure = error as? PostgresError, failure.isConnectionFailure || failure.code == .connectionClosed
        else { return error }
        return EmbeddedServerFailure(
            description: "\(failure)\n\tthe embedded cluster's server log may say why: \(server.serverLogPath)")
    }

    /// Ends this process's use of the cluster, and stops it unless another ondo process still uses it (that one
    /// stops it when it is done). Its data stays for the next run.
    public func stop() throws {
        try server.stop()
    }

    private static func prepareDatabase(
        on server: EmbeddedPostgres, migrations: URL?, options: Options, logger: Logger
    ) throws {
        let maintenance = try PostgresConnection(
            configuration: PostgresConfiguration(connectionString: server.connectionString(database: "postgres")),
            logger: logger)
        defer { maintenance.close() }
        let exists = try maintenance.queryValue(
            Bool.self, "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_database WHERE datname = \(databaseName))")
        if !exists { try maintenance.execute("CREATE DATABASE \(identifier: databaseName)") }
        guard let migrations else { return }

        let admin = try PostgresConnection(
            configuration: PostgresConfiguration(connectionString: server.connectionString(database: databaseName)),
            logger: logger)
        defer { admin.close() }
        var migrator = try Migrator(directory: migrations, logger: logger)
        migrator.migrateCommand = options.migrateCommand
        _ = try migrator.migrate(on: admin)
        _ = try LoginRoles.addLogin(name: applicationLogin, role: .app, password: nil, on: admin)
    }

    /// Deletes the cluster's files (keeping the folder itself, whose owner matters when running as root).
    private static func removeCluster(in dataDirectory: String) throws {
        let manager = FileManager.default
        for entry in (try? manager.contentsOfDirectory(atPath: dataDirectory)) ?? [] {
            try manager.removeItem(atPath: dataDirectory + "/" + entry)
        }
    }
}

/// A lost or refused connection to the embedded cluster, with the server log to read.
public struct EmbeddedServerFailure: Error, Sendable, CustomStringConvertible {
    /// The error and the log's path.
    public var description: String
}
