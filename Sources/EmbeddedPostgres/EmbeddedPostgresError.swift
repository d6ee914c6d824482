/// Why a private PostgreSQL cluster could not be set up, started or stopped.
public struct EmbeddedPostgresError: Error, Sendable, CustomStringConvertible {
    /// An opaque category of failure.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private let name: String

        private init(_ name: String) {
            self.name = name
        }

        /// `initdb`, `pg_ctl` or `postgres` is not installed.
        public static let binariesNotFound = Code("binariesNotFound")
        /// The data folder exists but is not a cluster, or cannot be used.
        public static let invalidDataDirectory = Code("invalidDataDirectory")
        /// `initdb` failed.
        public static let initdbFailed = Code("initdbFailed")
        /// The server did not start.
        public static let startFailed = Code("startFailed")
        /// The server did not stop.
        public static let stopFailed = Code("stopFailed")
        /// Running as root, but no way to switch to an unprivileged user was found.
        public static let noUnprivilegedUser = Code("noUnprivilegedUser")

        /// The code's name.
        public var description: String { name }
    }

    /// What kind of failure.
    public var code: Code
    /// A sentence saying what went wrong and what to do; may end with the tool's own output.
    public var message: String

    /// Creates an error.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
