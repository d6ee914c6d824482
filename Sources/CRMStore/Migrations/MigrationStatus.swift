import Foundation

/// Which migrations a database has, compared with the files of this build.
public struct MigrationStatus: Sendable {
    /// One migration, from the files, the ledger, or both.
    public struct Entry: Sendable, Hashable {
        /// The version number.
        public var version: Int
        /// The file name (from the ledger when the file is missing).
        public var fileName: String
        /// Where it stands.
        public var state: State
        /// When it was applied, if it was.
        public var appliedAt: Date?
        /// The database user that applied it, if it was.
        public var appliedBy: String?
    }

    /// Where one migration stands.
    public enum State: String, Sendable, Hashable {
        /// Applied, and the file is unchanged.
        case applied
        /// Not applied yet.
        case pending
        /// Applied, but the file was edited afterwards: migrating refuses to continue.
        case changed
        /// Applied, but this build has no such file (the database is newer than this `ondo`); `--status` shows it as
        /// "missing".
        case missingFile = "missing"
    }

    /// Every migration, by version.
    public var entries: [Entry]

    /// The migrations not applied yet.
    public var pending: [Entry] { entries.filter { $0.state == .pending } }

    /// True when every file is applied and nothing is amiss.
    public var isUpToDate: Bool { entries.allSatisfy { $0.state == .applied } }
}

/// What `Migrator.migrate` did.
public struct MigrationReport: Sendable {
    /// Files applied now (for a dry run: the files that would be applied).
    public var applied: [MigrationFile]
    /// How many were already applied before.
    public var alreadyApplied: Int
    /// True when another migration held the lock and this one waited for it.
    public var waitedForLock: Bool
    /// True for a dry run: nothing was written.
    public var dryRun: Bool
}
