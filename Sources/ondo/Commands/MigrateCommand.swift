import ArgumentParser
import CRMStore
import Foundation
import OndoServer

/// `ondo migrate`: applies the SQL migrations, shows their status, or lists what would be applied.
struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply pending database migrations (run it with an administrator's connection).",
        discussion: """
            Applies every pending file of sql/ in order, each in its own transaction, and records it in \
            ondo_meta.schema_migrations. Concurrent runs are safe: one applies, the others wait and find nothing \
            to do (through a transaction pooler such as PgBouncer, they may share the files, each applied once). \
            A file edited after it was applied is refused, and so is a folder that skips a number, a pending \
            file numbered below an applied one, and (before the first file) a database that already has a schema \
            shop, crm or report of its own. A file waits at most 5 s for a table lock, 3 times, then is rolled back \
            naming the sessions that hold locks on Ondo's tables. Last, it checks that Ondo's group roles have \
            the rights the migrations gave them (a dump restored before its roles existed has none), and fails \
            naming those missing.
            The connection is --database-url, else $ONDO_ADMIN_DATABASE_URL, else $ONDO_DATABASE_URL.
            """)

    @OptionGroup var common: CommonOptions

    @Flag(name: .long, help: "Show which migrations are applied and which are pending; change nothing.")
    var status = false

    @Flag(name: .long, help: "List the migrations that would be applied; change nothing.")
    var dryRun = false

    @Option(
        name: .long,
        help: """
            Folder of NNNN_name.sql files (default: $ONDO_SQL_DIR, else a sql/ folder next to or above the \
            executable, else one in or above the working folder, else /usr/share/ondo/sql).
            """)
    var migrationsDir: String?

    func validate() throws {
        if status && dryRun { throw ValidationError("--status and --dry-run cannot be combined") }
    }

    func run() throws {
        try reportingFailures("migrate") {
            let logger = common.makeLogger(label: "ondo.migrate")
            try common.withDatabase(logger: logger, migrating: false) { configuration in
                try migrate(DatabaseAdministration(settings: configuration.database, logger: logger))
            }
        }
    }

    private func migrate(_ administration: DatabaseAdministration) throws {
        let directory = try MigrationDirectory.locate(explicit: migrationsDir)
        let origin = MigrationDirectory.origin(explicit: migrationsDir)
        if status {
            try showStatus(administration.status(directory: directory), origin: origin, administration: administration)
            return
        }
        let report: MigrationReport
        do {
            report = try administration.migrate(
                directory: directory, origin: origin, dryRun: dryRun, migrate: followUpMigrate)
        } catch let error as MigrationError {
            // The files before the failing one were committed: say which, as a successful run would.
            for file in error.appliedBeforeFailure { say("applied \(file.fileName)") }
            throw error
        }
        if report.waitedForLock { say("waited for another ondo migrate to finish") }
        for file in report.applied { say("\(dryRun ? "would apply" : "applied") \(file.fileName)") }
        if dryRun {
            say(
                "\(NumberText.grouped(report.applied.count)) migration(s) pending on \(administration.endpoint); nothing changed (dry run)"
            )
        } else if report.applied.isEmpty {
            say(
                "\(administration.endpoint) is up to date (\(NumberText.grouped(report.alreadyApplied)) migration(s) applied earlier)"
            )
        } else {
            say(
                "\(administration.endpoint) is up to date: applied \(NumberText.grouped(report.applied.count)) migration(s)"
            )
        }
        if !dryRun { try requireRoleRights(administration) }
    }

    /// Fails, naming them, when Ondo's group roles lack rights the migrations granted: the files are all applied,
    /// but no login of the app, the shop or the reports could work.
    private func requireRoleRights(_ administration: DatabaseAdministration) throws {
        let missing = try administration.missingRoleRights()
        guard !missing.isEmpty else { return }
        throw CommandError(
            "Ondo's roles lack rights its migrations granted on \(administration.endpoint): "
                + missing.joined(separator: "; ")
                + ". A dump restored before its roles existed loses them: restore the roles first "
                + "(pg_dumpall --roles-only), then the dump (README, \"Backups\")")
    }

    private func showStatus(
        _ status: MigrationStatus, origin: MigrationFilesOrigin, administration: DatabaseAdministration
    ) throws {
        let formatter = ISO8601DateFormatter()
        let width = max(4, status.entries.map(\.fileName.count).max() ?? 4)
        say("migrations on \(administration.endpoint):")
        for entry in status.entries {
            let applied = entry.appliedAt.map { "\(formatter.string(from: $0)) by \(entry.appliedBy ?? "?")" } ?? ""
            let name = entry.fileName.padding(toLength: width, withPad: " ", startingAt: 0)
            say("  \(name)  \(entry.state.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0))  \(applied)")
        }
        if let refusal = status.refusal(filesFrom: origin) { throw refusal }
        say(
            status.pending.isEmpty
                ? "up to date" : "\(NumberText.grouped(status.pending.count)) pending: run `\(followUpMigrate)`")
        try requireRoleRights(administration)
    }

    /// The command that applies the migrations to this database, from these files, for a hint: `ondo migrate` with
    /// the same connection and folder options.
    private var followUpMigrate: String {
        common.followUp("migrate", options: migrationsDir.map { ["--migrations-dir", $0] } ?? [])
    }
}
