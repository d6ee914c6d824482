/// Where a run's migration files came from, so that a database holding a migration they lack is refused with the
/// right culprit: this `ondo` (too old for the database) or a folder the operator named (too old, or another Ondo's).
public enum MigrationFilesOrigin: Sendable, Hashable {
    /// This build's own `sql/`, found by searching (``MigrationDirectory``), which takes only a folder that ends at
    /// ``SchemaVersion/expected``.
    case build
    /// The folder named by `--migrations-dir`, taken as it is.
    case migrationsDirOption(path: String)
    /// The folder named by `ONDO_SQL_DIR`, taken as it is.
    case sqlDirEnvironment(path: String)

    /// The folder the operator named, taken as it is; nil for this build's own, which is searched for.
    public var namedFolder: String? {
        switch self {
        case .build: nil
        case .migrationsDirOption(let path), .sqlDirEnvironment(let path): path
        }
    }
}

extension MigrationStatus {
    /// Why migrating must not go on, or nil: an applied file was edited afterwards, the database has a migration
    /// that the files (from `origin`) lack, a file is pending below one already applied, or a pending file comes
    /// after a number that neither the files nor the database have.
    public func refusal(filesFrom origin: MigrationFilesOrigin) -> MigrationError? {
        changedOrMissingRefusal(filesFrom: origin) ?? outOfOrderRefusal ?? gapRefusal
    }

    /// A pending file numbered after a migration that is neither among the files nor applied: the folder is an
    /// incomplete copy, and applying the files after the gap would leave the database without that migration.
    private var gapRefusal: MigrationError? {
        guard let last = pending.last else { return nil }
        let known = Set(entries.map(\.version))
        let absent = (1..<last.version).filter { !known.contains($0) }
        guard let first = absent.first, let next = pending.first(where: { $0.version > first }) else { return nil }
        let numbers =
            absent.prefix(3).map { String(format: "%04d", $0) }.joined(separator: ", ")
            + (absent.count > 3 ? " and \(absent.count - 3) more" : "")
        return MigrationError(
            code: .missingBeforePending,
            message: "no migration numbered \(numbers) is in the folder or applied to the database, but "
                + "\(next.fileName) after it is pending: the folder lacks a file (an incomplete copy?). Migrations "
                + "run in number order and none may be skipped; nothing was changed. Migrate with the complete folder")
    }

    /// A pending file numbered below an applied one: an earlier run used a folder that lacked it. Each migration is
    /// written for the schema the ones below it leave, so it must not run after a later one.
    private var outOfOrderRefusal: MigrationError? {
        guard let newest = entries.last(where: { $0.state == .applied }),
            let skipped = pending.first(where: { $0.version < newest.version })
        else { return nil }
        return MigrationError(
            code: .pendingBeforeApplied,
            message: "migration \(skipped.fileName) is pending, but the database already has \(newest.fileName), "
                + "which comes after it: an earlier ondo migrate ran from a folder that lacked \(skipped.fileName). "
                + "Migrations run in number order, so it is not applied after a later one; nothing was changed. "
                + "Restore the database from a backup taken before \(newest.fileName) was applied, then migrate "
                + "with the complete folder")
    }

    private func changedOrMissingRefusal(filesFrom origin: MigrationFilesOrigin) -> MigrationError? {
        if let changed = entries.first(where: { $0.state == .changed }) {
            return MigrationError(
                code: .checksumMismatch,
                message: "migration \(changed.fileName) was changed after it was applied (its SHA-256 differs from "
                    + "the one recorded in ondo_meta.schema_migrations). Migrations are forward-only: restore the "
                    + "original file and put the change in a new migration")
        }
        guard let missing = entries.first(where: { $0.state == .missingFile }) else { return nil }
        let folder: (path: String, namedBy: String, undo: String)
        switch origin {
        case .build:
            return MigrationError(
                code: .unknownAppliedMigration,
                message: "the database has migration \(missing.fileName), which this build of ondo does not have; "
                    + "use an ondo at least as new as the one that applied it")
        case .migrationsDirOption(let path):
            folder = (path, "--migrations-dir", "leave out --migrations-dir")
        case .sqlDirEnvironment(let path):
            folder = (path, "ONDO_SQL_DIR", "unset ONDO_SQL_DIR")
        }
        let newest = entries.last { $0.state != .missingFile }.map { "its newest is \($0.fileName)" } ?? "it is empty"
        return MigrationError(
            code: .unknownAppliedMigration,
            message: "the database has migration \(missing.fileName), which the folder \(folder.path) "
                + "(\(folder.namedBy)) does not have: \(newest). Name the sql/ folder of an Ondo at least as new as "
                + "the one that applied it, or \(folder.undo) to use this ondo's own")
    }
}
