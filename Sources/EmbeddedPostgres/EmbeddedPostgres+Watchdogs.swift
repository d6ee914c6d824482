import Foundation

/// Watchdog processes: small shell scripts that outlive this process and clean up after it, however it ends.
extension EmbeddedPostgres {
    /// Starts a small watchdog process that deletes `paths` once the process `processID` (default: the current
    /// one) has exited, however it exited. For temporary files that `defer` and `atexit` miss when the process is
    /// ended by a signal: Ctrl-C in `make test` reaches the test process as SIGINT, which runs neither.
    /// Returns the watchdog's process id (a child of the current process).
    @discardableResult
    public static func removeWhenProcessExits(_ paths: [String], processID: pid_t = getpid()) throws -> pid_t {
        let script = """
            parent="$1"; shift
            while [ -d "/proc/$parent" ]; do sleep 1; done
            rm -rf -- "$@"
            """
        return try startWatchdog("ondo-cleanup-watchdog", script: script, arguments: [String(processID)] + paths)
    }

    /// Starts a small detached watchdog that sends `signal` to the process `target` once the process `processID`
    /// (default: the current one) has exited, however it exited; it ends by itself as soon as `target` has ended.
    /// Foundation's `Process` puts each child in a process group of its own, so the Ctrl-C that ends a test run
    /// never reaches an `ondo serve` a test started, which then ran on, orphaned, for good.
    public static func signalWhenProcessExits(_ target: pid_t, signal: Int32 = SIGKILL, processID: pid_t = getpid())
        throws
    {
        // Started in the background by a shell that exits at once (and is reaped here), so the watchdog is not
        // this process's child and leaves no zombie behind while the tests run.
        let script = """
            ( parent="$1"; target="$2"; signal="$3"
              while [ -d "/proc/$parent" ] && [ -d "/proc/$target" ]; do sleep 1; done
              if [ -d "/proc/$target" ]; then kill "-$signal" "$target" 2>/dev/null; fi ) &
            """
        let shell = try startWatchdog(
            "ondo-signal-watchdog", script: script, arguments: [String(processID), String(target), String(signal)])
        _ = ChildProcess.wait(shell)
    }

    /// Starts `/bin/sh -c script name arguments…` in a session of its own, ignoring INT and HUP: the Ctrl-C that
    /// ends the watched process must not end its watchdog too. Returns the shell's process id (a child of this
    /// process).
    static func startWatchdog(_ name: String, script: String, arguments: [String]) throws -> pid_t {
        try ChildProcess.start(
            ["/bin/sh", "-c", "trap '' INT HUP\n" + script, name] + arguments, outputPath: nil, newSession: true)
    }
}
