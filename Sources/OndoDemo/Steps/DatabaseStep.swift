import CRMStore
import OndoServer

/// Starts the embedded cluster (creating or reusing it) or uses the configured database, and migrates it.
struct DatabaseStep: DemoStep {
    var title: String { "Database" }

    func run(_ context: inout DemoContext) async throws {
        let migrations = try MigrationDirectory.locate()
        let logger = context.logger
        if let options = context.embeddedOptions {
            let database = try await BlockingWork.run {
                try EmbeddedDatabase.start(options: options, migrations: migrations, logger: logger)
            }
            context.embedded = database
            for note in database.notes { context.tell(.note(note)) }
            context.configuration.database = database.databaseSettings(from: context.configuration.database)
            context.tell(
                .note(
                    "database \(EmbeddedDatabase.databaseName) migrated; Ondo connects as \(EmbeddedDatabase.applicationLogin) "
                        + "(role ondo_app), the shop simulator writes as role ondo_shop"))
        } else {
            let administration = try DatabaseAdministration(settings: context.configuration.database, logger: logger)
            let migrate = context.options.command("migrate")
            let report = try await BlockingWork.run {
                try administration.migrate(directory: migrations, dryRun: false, migrate: migrate)
            }
            context.tell(
                .note(
                    "using \(administration.endpoint): \(report.applied.count) migration(s) applied now, "
                        + "\(report.alreadyApplied) earlier"))
        }
    }
}
