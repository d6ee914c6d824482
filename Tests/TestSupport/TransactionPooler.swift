import Foundation

/// A PgBouncer in `pool_mode = transaction` in front of one database of a test's own cluster: what a transaction
/// pooler does to a client's session (each transaction may run on another server connection) made visible.
///
/// It listens on a Unix socket in a new folder of its own (no port to collide with), with a configuration and user
/// list written there, logs into the server with the client's login over the server's Unix socket (a test cluster
/// trusts it), and runs as the server's user when the tests run as root (PgBouncer refuses root). ``stop()`` ends it
/// by its PID and removes the folder; the test process's exit kills it if the test did not.
///
/// PgBouncer 1.18 refuses the `options` startup parameter Ondo sends (DateStyle, TimeZone, …), so it is ignored, and
/// the database entry sets the DateStyle and TimeZone Ondo's decoders expect, and IntervalStyle by a `connect_query`
/// (unless a test gives other `serverSettings`): an Ondo connection through a pooler refuses a session without them. `poolMode` `session` makes it a session pooler instead, for comparison.
public final class TransactionPooler: Sendable {
    /// Where PgBouncer is installed (Debian's package).
    public static let executable = "/usr/sbin/pgbouncer"

    /// Whether PgBouncer is installed, for `.enabled(if:)`.
    public static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: executable) }

    /// The name clients connect to (`dbname`).
    public static let databaseName = "pooled"

    /// A libpq connection string to the database through the pooler, as the first login.
    public let connectionString: String
    private let process: LockedBox<Process>
    private let folder: String

    private init(connectionString: String, process: Process, folder: String) {
        self.connectionString = connectionString
        self.process = LockedBox(process)
        self.folder = folder
    }

    /// Starts PgBouncer in front of `database` on the server listening on `serverSocketDirectory`/`serverPort`, for
    /// the logins `users` (the first is the connection string's), with `poolSize` server connections per login at most
    /// (`default_pool_size`), and waits until it accepts connections. `serverSettings` are the database entry's
    /// settings PgBouncer sends the server at login; `poolMode` is `transaction` or `session`.
    public static func start(
        database: String, serverSocketDirectory: String, serverPort: Int, users: [String], poolSize: Int,
        serverSettings: String = "datestyle=ISO,YMD timezone=UTC connect_query='SET IntervalStyle = iso_8601'",
        poolMode: String = "transaction"
    ) throws -> TransactionPooler {
        let folder = try TestClusterFolder.make(prefix: "ondo-pgbouncer")
        let port = 6432
        let settings = """
            [databases]
            \(databaseName) = host=\(serverSocketDirectory) port=\(serverPort) dbname=\(database) \
            \(serverSettings)

            [pgbouncer]
            listen_addr =
            listen_port = \(port)
            unix_socket_dir = \(folder)
            auth_type = trust
            auth_file = \(folder)/userlist.txt
            pool_mode = \(poolMode)
            default_pool_size = \(poolSize)
            max_client_conn = 50
            ignore_startup_parameters = options
            \(geteuid() == 0 ? "user = \(serverUserName)" : "")

            """
        try settings.write(toFile: folder + "/pgbouncer.ini", atomically: true, encoding: .utf8)
        try users.map { "\"\($0)\" \"\"\n" }.joined().write(
            toFile: folder + "/userlist.txt", atomically: true, encoding: .utf8)
        if geteuid() == 0, let account = getpwnam(serverUserName) {
            // PgBouncer, run as the server's user, makes its socket here.
            chown(folder, account.pointee.pw_uid, account.pointee.pw_gid)
        }
        let logFile = folder + "/pgbouncer.log"
        FileManager.default.createFile(atPath: logFile, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logFile))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [folder + "/pgbouncer.ini"]
        process.standardOutput = log
        process.standardError = log
        try process.run()
        ExitCleanup.shared.add(process: process.processIdentifier)
        let pooler = TransactionPooler(
            connectionString: "host=\(folder) port=\(port) dbname=\(databaseName) user=\(users.first ?? "")",
            process: process, folder: folder)
        let socket = folder + "/.s.PGSQL.\(port)"
        let deadline = Date().addingTimeInterval(20)
        while !FileManager.default.fileExists(atPath: socket) {
            guard process.isRunning, Date() < deadline else {
                pooler.stop()
                throw CocoaError(
                    .fileNoSuchFile,
                    userInfo: [NSFilePathErrorKey: socket, NSLocalizedDescriptionKey: "pgbouncer: \(pooler.log)"])
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return pooler
    }

    /// How many client logins PgBouncer logged ("login attempt"): a client counted has connected, and waits in
    /// PgBouncer's queue when every server connection is taken.
    public var clientLogins: Int { log.components(separatedBy: "login attempt").count - 1 }

    /// What PgBouncer wrote (its log), for a failing test's message.
    public var log: String { (try? String(contentsOfFile: folder + "/pgbouncer.log", encoding: .utf8)) ?? "" }

    /// Stops PgBouncer by its PID, waits for it, and removes its folder. SIGKILL: the test process's threads block
    /// SIGINT and SIGTERM, and PgBouncer inherits that mask, so it never sees them (its server connections end with
    /// it all the same).
    public func stop() {
        process.mutate { process in
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            }
        }
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// The account PgBouncer runs as under root: the one the tests' PostgreSQL runs as.
    private static var serverUserName: String { getpwnam("postgres") != nil ? "postgres" : "nobody" }
}
