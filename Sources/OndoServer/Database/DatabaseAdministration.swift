import CRMStore
import Foundation
import Logging
import Postgres

/// The administrator's jobs on the database: migrations, login users and hardening. Each call opens its own connection
/// (blocking), with the administration URL.
public struct DatabaseAdministration: Sendable {
    /// The administrator's connection settings.
    public let configuration: PostgresConfiguration
    private let logger: Logger

    /// Uses `settings`' administration URL (`adminUrl`, else `url`).
    public init(settings: DatabaseSettings, logger: Logger) throws {
        self.configuration = try settings.postgresConfiguration(for: .administration)
        self.logger = logger
    }

    /// Where the commands connect, without secrets (`user@host:port/db`).
    public var endpoint: String { configuration.description }

    /// Applies the pending migrations in `directory` (or, with `dryRun`, lists them); `origin` says where the folder
    /// came from, for the refusal of a database that has a migration it lacks, and `migrate` is the command a failure
    /// that a second run can mend names (``Migrator/migrateCommand``).
    public func migrate(
        directory: URL, origin: MigrationFilesOrigin = .build, dryRun: Bool, migrate: String = "ondo migrate"
    ) throws -> MigrationReport {
        var migrator = try Migrator(directory: directory, logger: logger)
        migrator.origin = origin
        migrator.migrateCommand = migrate
        return try withConnection { try migrator.migrate(on: $0, dryRun: dryRun) }
    }

    /// Compares the database's ledger with the files in `directory`.
    public func status(directory: URL) throws -> MigrationStatus {
        let migrator = try Migrator(directory: directory, logger: logger)
        return try withConnection { try migrator.status(on: $0) }
    }

    /// The rights of Ondo's group roles the migrations granted and the database lacks, as sentences
    /// (``MigratedRoleRights``); empty when none is missing.
    public func missingRoleRights() throws -> [String] {
        try withConnection { try MigratedRoleRights.missing(on: $0) }
    }

    /// Creates or updates a login user in `role`; on a database without Ondo's group roles, the refusal names
    /// `migrate` as the command that creates them.
    public func addLogin(name: String, role: OndoRole, password: String?, migrate: String = "ondo migrate") throws
        -> LoginRoles.Outcome
    {
        try withConnection {
            try LoginRoles.addLogin(name: name, role: role, password: password, on: $0, migrate: migrate)
        }
    }

    /// Hardens the database for the shop and Ondo alone (see ``DatabaseHardening``), or with `dryRun` lists what
    /// is still open and changes nothing. Also returns the logins that lose (or would lose) `CONNECT`; a run that
    /// would lock one out is refused unless `lockingOut`. A database without Ondo's group roles is refused naming
    /// `migrate`.
    public func harden(dryRun: Bool, lockingOut: Bool = false, migrate: String = "ondo migrate") throws -> (
        changes: [DatabaseHardening.Change], lockedOut: [String]
    ) {
        try withConnection { connection in
            guard dryRun else {
                return try DatabaseHardening.harden(on: connection, lockingOut: lockingOut, migrate: migrate)
            }
            return (
                try DatabaseHardening.openChanges(on: connection, migrate: migrate),
                try DatabaseHardening.loginsLockedOut(on: connection)
            )
        }
    }

    /// Why the shop's tables may not be written with this build (``SchemaVersion/mismatchForShopWriter(on:migrate:)``),
    /// as far as the login can tell, naming `migrate` as the fix; nil when they may.
    public func shopWriterMismatch(migrate: String = "ondo migrate") throws -> String? {
        try withConnection { try SchemaVersion.mismatchForShopWriter(on: $0, migrate: migrate) }
    }

    private func withConnection<Result>(_ body: (PostgresConnection) throws -> Result) throws -> Result {
        let connection = try PostgresConnection(configuration: configuration, logger: logger)
        defer { connection.close() }
        return try body(connection)
    }
}
