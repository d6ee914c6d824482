import Foundation

/// Starts programs with `posix_spawn`, giving them only stdin (`/dev/null`), stdout and stderr.
///
/// Foundation's `Process` is not used: on Linux it notices a child's exit through a socket the child inherits,
/// and `pg_ctl start` leaves a daemon (`postgres`) holding every inherited descriptor, so the exit would never
/// be seen. Closing all other descriptors also keeps the test process's sockets out of the server.
enum ChildProcess {
    /// Starts `command` (an absolute path plus arguments); output goes to `outputPath`, or nowhere.
    static func start(_ command: [String], outputPath: String?, newSession: Bool = false) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath ?? "/dev/null", O_WRONLY | O_CREAT | O_APPEND, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        closeInheritedDescriptors(&actions)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        if newSession {
            posix_spawnattr_setflags(&attributes, Int16(spawnSetSessionFlag))
        }

        let arguments = command.map { strdup($0) } + [nil]
        defer { arguments.forEach { free($0) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, command[0], &actions, &attributes, arguments, environ)
        guard status == 0 else {
            throw EmbeddedPostgresError(
                code: .startFailed, message: "cannot start \(command[0]): \(String(cString: strerror(status)))")
        }
        return pid
    }

    /// Waits for `pid` and returns its exit status (128 + signal number when a signal ended it).
    static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return -1 }
        }
        let signal = status & 0x7F
        return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
    }

    /// glibc's `POSIX_SPAWN_SETSID` (not exported to Swift).
    private static let spawnSetSessionFlag: Int32 = 0x80

    /// Closes descriptors 3 and up in the child: with glibc's `addclosefrom_np` when present (2.34+), else one
    /// by one from `/proc/self/fd`.
    private static func closeInheritedDescriptors(_ actions: inout posix_spawn_file_actions_t) {
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") {
            let closeFrom = unsafeBitCast(symbol, to: CloseFrom.self)
            if closeFrom(&actions, 3) == 0 { return }
        }
        let descriptors = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for descriptor in descriptors.compactMap({ Int32($0) }) where descriptor > 2 {
            posix_spawn_file_actions_addclose(&actions, descriptor)
        }
    }
}
