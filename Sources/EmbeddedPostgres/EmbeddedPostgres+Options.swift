extension EmbeddedPostgres {
    /// How the private cluster is created and run.
    public struct Options: Sendable {
        /// The superuser `initdb` creates; connect as it over the Unix socket without a password.
        public var superuser = "ondo"
        /// The port: names the Unix socket file, and is the TCP port when `listenOnTCP` is set (0 picks a free one).
        public var port = 5432
        /// Also listen on 127.0.0.1 (password authentication); by default only the private Unix socket.
        public var listenOnTCP = false
        /// Keep `fsync` and friends on. Set false for throwaway clusters (tests): much faster, not crash-safe.
        public var durable = true
        /// `max_connections`; high so tests that start several processes do not run out.
        public var maxConnections = 200
        /// Where the Unix socket goes; `nil` makes a fresh folder under `/tmp` (socket paths must be short).
        public var socketDirectory: String?
        /// Extra `postgresql.conf` settings, for example `["log_min_duration_statement": "0"]`.
        public var settings: [String: String] = [:]
        /// Seconds to wait for the server to start or stop.
        public var timeoutSeconds = 60
        /// Start the watchdog of ``EmbeddedPostgres/stopWhenProcessExits(removing:)`` before the server itself, so
        /// that even a process killed while the server is starting leaves no server behind. With `lastUserStops`,
        /// ``EmbeddedPostgres/running(in:options:logger:)`` starts one too, for the process that shares the server.
        public var stopWhenProcessExits = false
        /// Several processes may use the server (one ``EmbeddedPostgres/start(dataDirectory:options:logger:)``, the
        /// others ``EmbeddedPostgres/running(in:options:logger:)``), and whichever is the last one out stops it:
        /// ``EmbeddedPostgres/stop()`` leaves it running while another process uses it, and the watchdog of a
        /// process that died waits until none does. Each use is a shared lock on `<data folder>.users-lock`; start
        /// and share the server holding the folder's ``StartLock``.
        public var lastUserStops = false

        /// The defaults: superuser `ondo`, socket only, durable, 200 connections.
        public init() {}
    }
}
