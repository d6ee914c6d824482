/// Why migrating could not proceed; the message names the file and says what to do.
public struct MigrationError: Error, Sendable, CustomStringConvertible {
    /// An opaque category of failure.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private let name: String

        private init(_ name: String) {
            self.name = name
        }

        /// No migrations folder was found.
        public static let directoryNotFound = Code("directoryNotFound")
        /// A file in the folder is misnamed, unreadable or duplicates a version.
        public static let invalidFile = Code("invalidFile")
        /// An applied migration's file was edited afterwards.
        public static let checksumMismatch = Code("checksumMismatch")
        /// The database has a migration this build does not know (it is newer than this `ondo`).
        public static let unknownAppliedMigration = Code("unknownAppliedMigration")
        /// A file is pending although a migration numbered after it is applied (it was applied from a folder that
        /// lacked the file): applying it now would run it out of order.
        public static let pendingBeforeApplied = Code("pendingBeforeApplied")
        /// A pending file comes after a number that neither the files nor the database have (a folder that lacks a
        /// file): applying it would skip that migration.
        public static let missingBeforePending = Code("missingBeforePending")
        /// Before the first migration, the database already has a schema `shop`, `crm` or `report` that another role
        /// owns.
        public static let schemaInTheWay = Code("schemaInTheWay")
        /// The login may not take the migration lock, create or read the ledger: it is not an administrator's.
        public static let notAnAdministrator = Code("notAnAdministrator")
        /// Connected through a connection pooler, the login may not take the transaction-level migration lock, the
        /// only one that keeps two runs apart there.
        public static let pooledWithoutTransactionLock = Code("pooledWithoutTransactionLock")
        /// A migration's SQL failed; nothing of that file was applied.
        public static let migrationFailed = Code("migrationFailed")

        /// The code's name.
        public var description: String { name }
    }

    /// What kind of failure.
    public var code: Code
    /// A sentence for the operator.
    public var message: String
    /// The underlying error (a `PostgresError` for `.migrationFailed`), if any.
    public var underlying: (any Error & Sendable)?
    /// For `.migrationFailed`: the files this run applied and committed before the failing one, in order (they
    /// stay applied). Empty otherwise.
    public var appliedBeforeFailure: [MigrationFile] = []

    /// Creates an error.
    public init(code: Code, message: String, underlying: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    /// The message.
    public var description: String { message }
}
