import ArgumentParser
import Logging
import OndoServer

/// Options every database command accepts: where the configuration and the database are, and how much to log.
struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: "Configuration file (default: $ONDO_CONFIG, else config/ondo.json if present).")
    var config: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "PostgreSQL URL or key=value string (default: $ONDO_DATABASE_URL; $ONDO_ADMIN_DATABASE_URL first for "
                + "commands an administrator runs: migrate, roles, generate). No password here."))
    var databaseURL: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "File holding the password of the connection the command makes, the administrator's included "
                + "(default: $ONDO_DATABASE_PASSWORD_FILE, or $ONDO_ADMIN_DATABASE_PASSWORD_FILE with "
                + "$ONDO_ADMIN_DATABASE_URL; with --database-url, only when it names the same login as the URL "
                + "that file came with)."))
    var databasePasswordFile: String?

    @Option(
        name: .long,
        help: "Log level: trace, debug, info, notice, warning, error, critical (default: warning; info for serve).")
    var logLevel: Logger.Level?

    @Flag(
        name: .long,
        help: "Use a private PostgreSQL cluster (created on first use, migrated, stopped when the command ends).")
    var embedded = false

    @Option(name: .long, help: "Folder of the --embedded cluster (default: $ONDO_EMBEDDED_DIR, else .ondo/postgres).")
    var embeddedDir: String?

    func validate() throws {
        // libpq reads an empty string as "all defaults" (the local socket, port 5432): not what anyone meant.
        if let databaseURL, databaseURL.allSatisfy(\.isWhitespace) {
            throw ValidationError(
                "--database-url is empty: give a URL or key=value string, or leave it out to use $ONDO_DATABASE_URL")
        }
        // `--config "$UNSET"` read as the file "" and failed at run time ("cannot read the configuration file  (named
        // by --config)", exit 1), where `--model ""` and `--database-url ""` are usage errors.
        if config?.isEmpty == true {
            throw ValidationError(
                "--config is empty: name a configuration file, or leave it out to use $ONDO_CONFIG or "
                    + OndoConfiguration.defaultFile)
        }
        if databasePasswordFile?.isEmpty == true {
            throw ValidationError("--database-password-file is empty: name the file that holds the password")
        }
        if let databaseURL, let refusal = DatabaseSettings.commandLineURLRefusal(databaseURL) {
            throw ValidationError(refusal)
        }
        if embedded && databaseURL != nil {
            throw ValidationError("--embedded and --database-url cannot be combined: choose one database")
        }
    }

    /// The configuration: file, then environment, then these flags.
    func loadConfiguration() throws -> OndoConfiguration {
        var configuration = try OndoConfiguration.load(file: config)
        configuration.database = try configuration.database.applyingCommandLine(
            url: databaseURL, passwordFile: databasePasswordFile)
        return configuration
    }

    /// A logger writing to standard error at `--log-level`, else `defaultLevel`, one line per event.
    func makeLogger(label: String, defaultLevel: Logger.Level = .warning) -> Logger {
        var logger = Logger(label: label) { OneLineLogHandler(StreamLogHandler.standardError(label: $0)) }
        logger.logLevel = logLevel ?? defaultLevel
        return logger
    }
}
