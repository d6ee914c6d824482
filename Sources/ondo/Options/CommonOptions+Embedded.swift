import ArgumentParser
import CRMStore
import Foundation
import Logging
import OndoServer

extension CommonOptions {
    /// The embedded cluster's options for `--embedded-dir` (or `ONDO_EMBEDDED_DIR`, or the default folder).
    func embeddedOptions(reset: Bool = false) -> EmbeddedDatabase.Options {
        var options = EmbeddedDatabase.Options(directory: embeddedDir, reset: reset)
        // `--embedded` too for `ondo demo`, which uses the cluster without it.
        let connection = connectionArguments(onEmbeddedCluster: true).map(Self.shellQuoted)
        options.migrateCommand = (["ondo", "migrate"] + connection).joined(separator: " ")
        return options
    }

    /// Runs `body` with this command's configuration; with `--embedded`, on the private cluster, started first
    /// (and migrated, unless `migrating` is false: `ondo migrate` does that itself) and stopped after.
    func withDatabase<Result>(
        logger: Logger, migrating: Bool = true, _ body: (OndoConfiguration) throws -> Result
    ) throws -> Result {
        let onPrivateCluster = try usesEmbedded()
        var configuration = try loadConfiguration()
        guard onPrivateCluster else { return try body(configuration) }
        let database = try EmbeddedDatabase.start(
            options: embeddedOptions(), migrations: migrating ? MigrationDirectory.locate() : nil, logger: logger)
        Self.tell(database.notes)
        configuration.database = database.databaseSettings(from: configuration.database)
        defer { try? database.stop() }
        do {
            return try body(configuration)
        } catch {
            throw database.explain(error)
        }
    }

    /// The async form of ``withDatabase(logger:_:)``.
    func withDatabase<Result>(
        logger: Logger, _ body: (OndoConfiguration) async throws -> Result
    ) async throws -> Result {
        let onPrivateCluster = try usesEmbedded()
        var configuration = try loadConfiguration()
        guard onPrivateCluster else { return try await body(configuration) }
        let options = embeddedOptions()
        let migrations = try MigrationDirectory.locate()
        let database = try await BlockingWork.run {
            try EmbeddedDatabase.start(options: options, migrations: migrations, logger: logger)
        }
        Self.tell(database.notes)
        configuration.database = database.databaseSettings(from: configuration.database)
        do {
            let result = try await body(configuration)
            try await BlockingWork.run { try database.stop() }
            return result
        } catch {
            try? await BlockingWork.run { try database.stop() }
            throw database.explain(error)
        }
    }

    /// Whether `--embedded` was given; `--embedded-dir` alone is a mistake outside `ondo demo` (which starts its
    /// cluster without this), so a usage error, found here rather than in `validate()`, which every command shares.
    private func usesEmbedded() throws -> Bool {
        try requireEmbeddedForEmbeddedDir()
        return embedded
    }

    /// Throws the usage error for `--embedded-dir` without `--embedded`. A command that reads something (standard
    /// input) before ``withDatabase(logger:migrating:_:)`` calls it from its own `validate()`, so that the mistake is
    /// reported before the read, not after it.
    func requireEmbeddedForEmbeddedDir() throws {
        if embeddedDir != nil && !embedded {
            throw ValidationError("--embedded-dir needs --embedded (it names the folder of the private cluster)")
        }
    }

    private static func tell(_ notes: [String]) {
        for note in notes { StandardError.write("ondo: \(note)") }
    }
}
