import Foundation
import Logging
import Synchronization

/// A private PostgreSQL cluster run from the machine's own `initdb`/`pg_ctl`, for `ondo demo` and the tests.
///
/// It listens on a Unix socket in a folder of its own (and optionally on 127.0.0.1) and trusts local socket
/// connections, so it must only hold throwaway or development data. When the current user is root, the server
/// runs as `postgres` (or `nobody`) and its folders are handed to that user.
///
/// ```swift
/// let server = try EmbeddedPostgres.start(dataDirectory: ".ondo/pg", logger: logger)
/// let url = server.connectionString(database: "postgres")
/// try server.stop()
/// ```
public final class EmbeddedPostgres: Sendable {
    /// The cluster's data folder.
    public let dataDirectory: String
    /// The folder holding the Unix socket.
    public let socketDirectory: String
    /// The port (socket name, and TCP port when listening on TCP).
    public let port: Int
    /// The superuser name.
    public let superuser: String
    /// True when `start` made the socket folder, which `stop` then removes. For a server shared with other processes
    /// (``Options/lastUserStops``), true in every process that uses it when its start made the folder: whichever
    /// stops the server removes it.
    private let ownsSocketDirectory: Bool
    /// False for a server another process started (``running(in:options:logger:)``): without
    /// ``Options/lastUserStops``, ``stop()`` leaves it running.
    private let ownsServer: Bool
    /// This process's use of a server shared with other processes (``Options/lastUserStops``).
    private let use: ClusterUse?
    /// True when the server also listens on 127.0.0.1.
    public let listensOnTCP: Bool
    private let binaries: PostgresBinaries
    private let serverUser: ServerUser
    private let timeoutSeconds: Int
    private let logger: Logger
    /// The watchdog process, when it has nothing to do once ``stop()`` succeeded (it removes no folder).
    private let disarmableWatchdog = Mutex<pid_t?>(nil)

    /// Initialises `dataDirectory` if it is empty (or missing), else reuses the cluster in it, then starts the
    /// server and waits until it accepts connections.
    public static func start(
        dataDirectory: String, options: Options = Options(), logger: Logger
    ) throws -> EmbeddedPostgres {
        let binaries = try PostgresBinaries.locate()
        let user = try ServerUser.resolve()
        let dataDirectory = URL(fileURLWithPath: dataDirectory).standardizedFileURL.path
        try checkDataDirectory(dataDirectory)
        let ownsSocketDirectory = options.socketDirectory == nil
        let socketDirectory = try options.socketDirectory ?? makeTemporaryDirectory(prefix: "ondo-pg")
        // Before the watchdog and the server: from here on the server is not stopped while this process uses it.
        let use = options.lastUserStops ? ClusterUse.begin(clusterIn: dataDirectory) : nil
        do {
            if ownsSocketDirectory {
                // Tells a process sharing the server that the folder goes with it (it may be the one to stop it).
                _ = FileManager.default.createFile(
                    atPath: socketDirectory + "/" + Self.temporarySocketFolderMarker, contents: nil)
            }
            for directory in [dataDirectory, socketDirectory] {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                try user.takeOwnership(of: directory)
            }
            let port = options.listenOnTCP && options.port == 0 ? (FreePort.find() ?? 5432) : options.port
            let server = EmbeddedPostgres(
                dataDirectory: dataDirectory, socketDirectory: socketDirectory,
                ownsSocketDirectory: ownsSocketDirectory, port: port, options: options, binaries: binaries,
                serverUser: user, logger: logger, use: use)
            try server.initialiseIfNeeded(options)
            try server.writeSettings(options)
            if options.stopWhenProcessExits { try server.stopWhenProcessExits() }
            try server.launch()
            return server
        } catch {
            // No server runs (a launch cut short is stopped by `launch`, or by the watchdog once this process ends).
            use?.abandon()
            if ownsSocketDirectory { try? FileManager.default.removeItem(atPath: socketDirectory) }
            throw error
        }
    }

    private init(
        dataDirectory: String, socketDirectory: String, ownsSocketDirectory: Bool, port: Int, options: Options,
        binaries: PostgresBinaries, serverUser: ServerUser, logger: Logger, ownsServer: Bool = true,
        use: ClusterUse? = nil
    ) {
        self.dataDirectory = dataDirectory
        self.socketDirectory = socketDirectory
        self.ownsSocketDirectory = ownsSocketDirectory
        self.ownsServer = ownsServer
        self.use = use
        self.port = port
        self.superuser = options.superuser
        self.listensOnTCP = options.listenOnTCP
        self.binaries = binaries
        self.serverUser = serverUser
        self.timeoutSeconds = options.timeoutSeconds
        self.logger = logger
    }

    /// The server another process started from `dataDirectory` and that still runs, found through its
    /// `postmaster.pid` (which names its port and socket folder); nil when none runs. ``stop()`` on the result
    /// leaves the server to the process that started it — unless `options` has ``Options/lastUserStops``: this
    /// process then uses the server as the one that started it does (call this holding the folder's ``StartLock``),
    /// with a watchdog of its own if `options` has ``Options/stopWhenProcessExits``, and the last one out stops it.
    public static func running(in dataDirectory: String, options: Options = Options(), logger: Logger) throws
        -> EmbeddedPostgres?
    {
        let dataDirectory = URL(fileURLWithPath: dataDirectory).standardizedFileURL.path
        guard let text = try? String(contentsOfFile: dataDirectory + "/postmaster.pid", encoding: .utf8) else {
            return nil
        }
        // postmaster.pid: pid, data folder, start time, port, socket folder, listen address, shared memory key.
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        guard lines.count >= 5, let pid = pid_t(lines[0]), kill(pid, 0) == 0 || errno == EPERM,
            let port = Int(lines[3]), !lines[4].isEmpty
        else { return nil }
        let binaries = try PostgresBinaries.locate()
        let serverUser = try ServerUser.resolve()
        let socketDirectory = lines[4]
        let use = options.lastUserStops ? ClusterUse.begin(clusterIn: dataDirectory) : nil
        let madeByStart = FileManager.default.fileExists(atPath: socketDirectory + "/" + temporarySocketFolderMarker)
        let server = EmbeddedPostgres(
            dataDirectory: dataDirectory, socketDirectory: socketDirectory,
            ownsSocketDirectory: use != nil && madeByStart, port: port, options: options, binaries: binaries,
            serverUser: serverUser, logger: logger, ownsServer: false, use: use)
        if use != nil && options.stopWhenProcessExits {
            do {
                try server.stopWhenProcessExits()
            } catch {
                use?.abandon()
                throw error
            }
        }
        return server
    }

    /// True when another process uses the cluster in `dataDirectory` as ``Options/lastUserStops`` counts users; false
    /// for a server nobody uses — left running by a process that was killed with its watchdog, or started by hand.
    /// Ask holding the folder's ``StartLock``, before ``running(in:options:logger:)``.
    public static func isUsedByAnotherProcess(clusterIn dataDirectory: String) -> Bool {
        ClusterUse.othersUse(clusterIn: URL(fileURLWithPath: dataDirectory).standardizedFileURL.path)
    }

    /// In a socket folder that ``start(dataDirectory:options:logger:)`` made: whoever stops the server removes it.
    static let temporarySocketFolderMarker = ".ondo-temporary-socket-folder"

    /// A libpq URI for `database` over the Unix socket, as `user` (default: the superuser).
    public func connectionString(database: String = "postgres", user: String? = nil) -> String {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
        func encode(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text }
        return "postgresql:///\(encode(database))?host=\(encode(socketDirectory))&port=\(port)"
            + "&user=\(encode(user ?? superuser))"
    }

    /// The running postmaster's process id, read from `postmaster.pid`.
    public var postmasterPID: Int32? {
        guard let text = try? String(contentsOfFile: dataDirectory + "/postmaster.pid", encoding: .utf8),
            let first = text.split(separator: "\n").first
        else { return nil }
        return Int32(first.trimmingCharacters(in: .whitespaces))
    }

    /// Stops the server (`pg_ctl stop -m fast`, then `-m immediate` if that fails) and waits for it; removes the
    /// socket folder if `start` made it, and ends the watchdog unless it has a folder to remove.
    ///
    /// A server shared with other processes (``Options/lastUserStops``) is stopped only when no other process uses
    /// it any more; else it is left running for the last one out, and this process's watchdog ends. Pass
    /// `startLockHeld` when this process already holds the folder's ``StartLock`` (this call takes it otherwise).
    public func stop(startLockHeld: Bool = false) throws {
        if let use {
            if try use.end(startLockHeld: startLockHeld, stopServer: { try stopServer() }) == .leftToOthers {
                logger.debug(
                    "embedded postgres left running: another process uses it",
                    metadata: ["ondo.data_directory": "\(dataDirectory)"])
                endWatchdog()
            }
            return
        }
        guard ownsServer else { return }
        try stopServer()
    }

    /// Ends the watchdog (unless it has a folder to remove). Left waiting, it would stop the next server started
    /// from this folder once this process exits. It is our child: reaped here, it does not stay a zombie until this
    /// process exits.
    private func endWatchdog() {
        if let watchdog = disarmableWatchdog.withLock({ $0.take() }) {
            kill(watchdog, SIGKILL)
            _ = waitpid(watchdog, nil, 0)
        }
    }

    private func stopServer() throws {
        defer {
            if postmasterPID == nil {
                if ownsSocketDirectory { try? FileManager.default.removeItem(atPath: socketDirectory) }
                endWatchdog()
            }
        }
        guard FileManager.default.fileExists(atPath: dataDirectory + "/postmaster.pid") else { return }
        for mode in ["fast", "immediate"] {
            let outcome = try CommandRunner.run(
                serverUser.commandPrefix + [
                    binaries.pgCtl, "-D", dataDirectory, "-m", mode, "-w", "-t", String(timeoutSeconds), "-s", "stop",
                ])
            if outcome.status == 0 {
                logger.debug("embedded postgres stopped", metadata: ["ondo.data_directory": "\(dataDirectory)"])
                return
            }
        }
        throw EmbeddedPostgresError(code: .stopFailed, message: "PostgreSQL in \(dataDirectory) did not stop")
    }

    /// Asks the server to shut down (fast mode) without waiting: safe to call from an `atexit` handler.
    public func requestStop() {
        if let pid = postmasterPID { kill(pid, SIGINT) }
    }

    /// Starts a small watchdog process that stops the server once the current process has exited, however it
    /// exited — so a crashed test run leaves no server behind — then removes `directory` (if given) and the
    /// socket folder if `start` made it. For a server shared with other processes (``Options/lastUserStops``) it
    /// first waits, looking once a second, until none uses it any more (they may have watchdogs of their own).
    public func stopWhenProcessExits(removing directory: String? = nil) throws {
        let stopCommand =
            serverUser.commandPrefix + [
                binaries.pgCtl, "-D", dataDirectory, "-m", "fast", "-w", "-t", String(timeoutSeconds), "-s", "stop",
            ]
        let removals = [directory, ownsSocketDirectory ? socketDirectory : nil].compactMap { $0 }
        // Shared: once a second, holding the start lock, try for an exclusive lock on the users-lock file; once it is
        // had, no process uses the server. Both stay held (descriptors 8 and 9) until the script ends. `command exec`:
        // a lock file that cannot be opened (any more) must not end the script, as a failed `exec` would: without the
        // start lock it waits on the users-lock alone, without the users-lock it stops the server at once.
        // A server being launched when the parent died gets `timeout` seconds to write its pid file, then is stopped.
        let script = """
            parent="$1"; data="$2"; remove="$3"; timeout="$4"; start_lock="$5"; users_lock="$6"; shift 6
            while [ -d "/proc/$parent" ]; do sleep 1; done
            if [ -n "$users_lock" ] && command -v flock >/dev/null 2>&1 && command exec 9<"$users_lock"; then
              if command exec 8<"$start_lock"; then
                until flock -x 8 && flock -n -x 9; do flock -u 8; sleep 1; done
              else
                until flock -n -x 9; do sleep 1; done
              fi
            fi
            waited=0
            while [ -f "$data/\(Self.launchMarker)" ] && [ ! -f "$data/postmaster.pid" ] && [ "$waited" -lt "$timeout" ]; do
              sleep 1; waited=$((waited + 1))
            done
            rm -f "$data/\(Self.launchMarker)"
            if [ -f "$data/postmaster.pid" ]; then
              "$@" >/dev/null 2>&1 || kill -QUIT "$(head -n 1 "$data/postmaster.pid")" 2>/dev/null
            fi
            printf '%s\n' "$remove" | while IFS= read -r path; do
              if [ -n "$path" ]; then rm -rf -- "$path"; fi
            done
            """
        let watchdog = try Self.startWatchdog(
            "ondo-pg-watchdog", script: script,
            arguments: [
                String(getpid()), dataDirectory, removals.joined(separator: "\n"), String(timeoutSeconds),
                StartLock.path(forClusterIn: dataDirectory),
                use == nil ? "" : ClusterUse.lockPath(forClusterIn: dataDirectory),
            ] + stopCommand)
        if directory == nil { disarmableWatchdog.withLock { $0 = watchdog } }
    }

    private var logFile: String { dataDirectory + "/embedded-postgres.log" }

    /// The server's log file (`pg_ctl -l`): where it says why it refused or ended a session, or went down.
    public var serverLogPath: String { logFile }

    private func initialiseIfNeeded(_ options: Options) throws {
        if FileManager.default.fileExists(atPath: dataDirectory + "/PG_VERSION") {
            logger.debug("reusing embedded postgres cluster", metadata: ["ondo.data_directory": "\(dataDirectory)"])
            return
        }
        var command =
            serverUser.commandPrefix + [
                binaries.initdb, "-D", dataDirectory, "-U", options.superuser, "-E", "UTF8", "--locale=C",
                "--auth-local=trust", "--auth-host=scram-sha-256",
            ]
        if !options.durable { command.append("--no-sync") }
        let started = Date()
        let outcome = try CommandRunner.run(command)
        guard outcome.status == 0 else {
            throw EmbeddedPostgresError(
                code: .initdbFailed,
                message: "initdb failed for \(dataDirectory) (as user \(serverUser.name)):\n\(outcome.output)")
        }
        logger.debug(
            "initialised embedded postgres cluster",
            metadata: [
                "ondo.data_directory": "\(dataDirectory)",
                "ondo.seconds": "\(String(format: "%.1f", Date().timeIntervalSince(started)))",
            ])
    }

    /// Refuses a folder that holds something other than a cluster (before anything is created).
    private static func checkDataDirectory(_ dataDirectory: String) throws {
        let manager = FileManager.default
        guard !manager.fileExists(atPath: dataDirectory + "/PG_VERSION") else { return }
        let contents = (try? manager.contentsOfDirectory(atPath: dataDirectory)) ?? []
        guard contents.isEmpty else {
            throw EmbeddedPostgresError(
                code: .invalidDataDirectory,
                message: "\(dataDirectory) is neither empty nor a PostgreSQL cluster; choose another folder")
        }
    }

    private func writeSettings(_ options: Options) throws {
        func quoted(_ value: String) -> String { "'" + value.replacingOccurrences(of: "'", with: "''") + "'" }
        var settings: [(String, String)] = [
            ("listen_addresses", quoted(options.listenOnTCP ? "127.0.0.1" : "")),
            ("port", String(port)),
            ("unix_socket_directories", quoted(socketDirectory)),
            ("max_connections", String(options.maxConnections)),
        ]
        if !options.durable {
            settings += [("fsync", "off"), ("synchronous_commit", "off"), ("full_page_writes", "off")]
        }
        settings += options.settings.sorted { $0.key < $1.key }.map { ($0.key, quoted($0.value)) }
        let text =
            "# Written by Ondo's EmbeddedPostgres at every start.\n"
            + settings.map { "\($0.0) = \($0.1)" }.joined(separator: "\n") + "\n"
        let settingsFile = dataDirectory + "/ondo-embedded.conf"
        try text.write(toFile: settingsFile, atomically: false, encoding: .utf8)
        try serverUser.takeOwnership(of: settingsFile)
        let mainFile = dataDirectory + "/postgresql.conf"
        let include = "include_if_exists = 'ondo-embedded.conf'"
        let main = try String(contentsOfFile: mainFile, encoding: .utf8)
        if !main.contains(include) {
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: mainFile))
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(("\n" + include + "\n").utf8))
        }
    }

    /// Present in the data folder while `pg_ctl start` runs, for the watchdog.
    static let launchMarker = "ondo-launching"

    private func launch() throws {
        let started = Date()
        let earlierPID = postmasterPID
        let marker = dataDirectory + "/" + Self.launchMarker
        _ = FileManager.default.createFile(atPath: marker, contents: nil)
        defer { unlink(marker) }
        let outcome = try CommandRunner.run(
            serverUser.commandPrefix + [
                binaries.pgCtl, "-D", dataDirectory, "-l", logFile, "-w", "-t", String(timeoutSeconds), "-s", "start",
            ])
        guard outcome.status == 0 else {
            // After `timeoutSeconds` pg_ctl stops waiting but leaves the server starting; nobody would stop it.
            if Date().timeIntervalSince(started) >= Double(timeoutSeconds) { stopUnfinishedLaunch(earlierPID) }
            let log = (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? ""
            let tail = log.split(separator: "\n").suffix(15).joined(separator: "\n")
            throw EmbeddedPostgresError(
                code: .startFailed,
                message: "PostgreSQL did not start from \(dataDirectory): \(outcome.output)\n\(tail)")
        }
        logger.debug(
            "embedded postgres started",
            metadata: [
                "ondo.data_directory": "\(dataDirectory)", "ondo.socket_directory": "\(socketDirectory)",
                "ondo.seconds": "\(String(format: "%.1f", Date().timeIntervalSince(started)))",
            ])
    }

    /// Stops (immediate mode) the server a launch left starting, once its pid file names a postmaster other than
    /// `earlierPID` (a server another process runs from this folder is left alone); gives up after a few seconds
    /// without one, as the server then failed by itself.
    private func stopUnfinishedLaunch(_ earlierPID: Int32?) {
        for _ in 0..<50 {
            if let pid = postmasterPID, pid != earlierPID {
                logger.debug("stopping a server that did not start in time", metadata: ["ondo.pid": "\(pid)"])
                _ = try? CommandRunner.run(
                    serverUser.commandPrefix + [
                        binaries.pgCtl, "-D", dataDirectory, "-m", "immediate", "-w", "-t",
                        String(max(timeoutSeconds, 10)), "-s", "stop",
                    ])
                return
            }
            usleep(100_000)
        }
    }

    /// Creates a fresh folder `<parent>/<prefix>.XXXXXX` (`/tmp` unless told otherwise).
    public static func makeTemporaryDirectory(prefix: String, in parent: String = "/tmp") throws -> String {
        var template = Array("\(parent)/\(prefix).XXXXXX".utf8CString)
        guard let created = mkdtemp(&template) else {
            throw EmbeddedPostgresError(
                code: .invalidDataDirectory,
                message: "cannot create a folder under \(parent): \(String(cString: strerror(errno)))")
        }
        return String(cString: created)
    }
}
