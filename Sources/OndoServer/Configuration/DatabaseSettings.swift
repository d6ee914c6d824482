import Foundation
import Postgres

/// How Ondo reaches PostgreSQL (the `database` section of `config/ondo.json`).
///
/// Passwords never belong here: give a password file (`passwordFile`, `ONDO_DATABASE_PASSWORD_FILE`), or use
/// libpq's own `PGPASSWORD` / `~/.pgpass`. A URL in the configuration file that contains a password is refused.
public struct DatabaseSettings: Sendable, Hashable {
    /// The server and CLI's connection (URI or `key=value` string, as libpq reads them); env `ONDO_DATABASE_URL`,
    /// flag `--database-url`. No default: a command that needs the database says so when it is missing.
    public var url: String?
    /// File holding the password for `url`; env `ONDO_DATABASE_PASSWORD_FILE`, flag `--database-password-file`.
    /// The notification listener's connection (`listenUrl`) uses it too.
    public var passwordFile: String?
    /// The connection `ondo serve`'s notification listener holds for `LISTEN`; env `ONDO_DATABASE_LISTEN_URL`.
    /// Defaults to `url`. Behind a transaction pooler no notification reaches a session through it: this one
    /// connection goes straight to PostgreSQL while the pool goes through the pooler. It must reach the same database
    /// as `url` (checked at start). `--database-url` replaces `url` only, not this.
    public var listenUrl: String?
    /// The administrator's connection for `ondo migrate` and `ondo roles` (which create roles and tables); env
    /// `ONDO_ADMIN_DATABASE_URL`. Defaults to `url`.
    public var adminUrl: String?
    /// File holding the password for `adminUrl`; env `ONDO_ADMIN_DATABASE_PASSWORD_FILE`, flag
    /// `--database-password-file` (which sets both password files).
    public var adminPasswordFile: String?
    /// The settings that named `passwordFile` and `adminPasswordFile` (`ONDO_DATABASE_PASSWORD_FILE`,
    /// `database.passwordFile in config/ondo.json`, `--database-password-file`, …): an unreadable file is reported
    /// with the setting to correct, wherever it came from.
    public var passwordFileSetting: String?
    /// See ``passwordFileSetting``.
    public var adminPasswordFileSetting: String?
    /// Shown in `pg_stat_activity`. Default `ondo`.
    public var applicationName: String = "ondo"
    /// Seconds to wait for a connection; env `ONDO_DATABASE_CONNECT_TIMEOUT`. Default 10. 0 waits without limit
    /// (libpq's meaning of 0); 1 waits 2 s, libpq's minimum; a negative value is refused.
    public var connectTimeoutSeconds: Int = 10
    /// The server cancels statements running longer; 0 disables it. Env `ONDO_DATABASE_STATEMENT_TIMEOUT_MS`.
    /// Default 30,000 (migrations lift it for themselves).
    public var statementTimeoutMilliseconds: Int = 30_000
    /// Connections in each process's pool; env `ONDO_DATABASE_MAX_CONNECTIONS`. Default 8.
    public var maxConnections: Int = 8

    /// The defaults.
    public init() {}

    /// Which connection a command wants.
    public enum Purpose: Sendable {
        /// The server and everyday commands: `url`.
        case application
        /// Migrations and role management: `adminUrl`, else `url`.
        case administration
        /// `ondo serve`'s notification listener: `listenUrl`, else `url`; the application's password file.
        case notifications
    }

    /// These settings with a URL and a password file given on the command line.
    ///
    /// A URL given here serves every purpose but the notification listener's (it replaces `adminUrl` too; a
    /// `listenUrl` stays, checked at start to reach the same database), and it replaces the password files that
    /// came with the URLs it replaces, unless it names the same login as one of them (``sameLogin(_:_:)``): the
    /// app's password file was sent for whatever user the URL named — an administrator's URL given to `ondo
    /// migrate` got the app's password, and libpq's `~/.pgpass` was not read. A password file given here is the
    /// password of whichever connection the command makes: the application's, and the administrator's (so
    /// `ONDO_ADMIN_DATABASE_URL` with `--database-password-file` uses that file). A URL containing a password
    /// is refused: command lines are visible to other users in `ps`.
    public func applyingCommandLine(url: String?, passwordFile: String?) throws -> DatabaseSettings {
        var settings = self
        if let url {
            if let refusal = Self.commandLineURLRefusal(url) {
                throw ConfigurationError(code: .invalidValue, message: refusal)
            }
            (settings.passwordFile, settings.passwordFileSetting) = passwordFileKept(for: url) ?? (nil, nil)
            settings.url = url
            settings.adminUrl = nil
            settings.adminPasswordFile = nil
            settings.adminPasswordFileSetting = nil
        }
        if let passwordFile {
            (settings.passwordFile, settings.passwordFileSetting) = (passwordFile, "--database-password-file")
            (settings.adminPasswordFile, settings.adminPasswordFileSetting) = (passwordFile, "--database-password-file")
        }
        try settings.validate()
        return settings
    }

    /// The configured password file that still belongs to `url` given on the command line, with the setting that
    /// named it: the one of the configured URL that names the same login, or the application's when no URL was
    /// configured (it can only be meant for this one); nil otherwise.
    private func passwordFileKept(for url: String) -> (file: String?, setting: String?)? {
        guard let configured = self.url else { return (passwordFile, passwordFileSetting) }
        if passwordFile != nil, Self.sameLogin(configured, url) { return (passwordFile, passwordFileSetting) }
        if let adminUrl, adminPasswordFile != nil, Self.sameLogin(adminUrl, url) {
            return (adminPasswordFile, adminPasswordFileSetting)
        }
        return nil
    }

    /// Whether two connection strings log in as the same user on the same server (host and port; the database may
    /// differ: a password belongs to a role of the cluster). Unparsable strings are never the same login.
    static func sameLogin(_ first: String, _ second: String) -> Bool {
        guard let first = try? PostgresConnectionString(first), let second = try? PostgresConnectionString(second)
        else { return false }
        return ["user", "host", "hostaddr", "port"].allSatisfy { first[$0] == second[$0] }
    }

    /// Why `url`, from `setting`, can never connect, or nil: libpq cannot parse it or refuses one of its values
    /// (``PostgresConnectionString/problem(in:)``). Found when the setting is read, so that it is named and no
    /// command or server retries a connection that cannot work as if the database were down.
    static func unusableURL(_ url: String, setting: String) -> String? {
        PostgresConnectionString.problem(in: url).map {
            "\(setting) is not a connection string libpq accepts: \($0) (a URI such as "
                + "postgresql://user@host:5432/dbname, or key=value pairs such as host=/run/postgresql dbname=ondo)"
        }
    }

    /// Why `url`, given with `--database-url`, is refused, or nil: one libpq refuses (``unusableURL(_:setting:)``),
    /// or a password in it (other users see command lines in `ps`). The command line checks it before anything runs,
    /// as a usage error.
    public static func commandLineURLRefusal(_ url: String) -> String? {
        if let unusable = unusableURL(url, setting: "--database-url") { return unusable }
        guard (try? PostgresConnectionString(url))?["password"] != nil else { return nil }
        return "the URL given with --database-url contains a password, which other users can see in `ps`; leave it "
            + "out and use --database-password-file or ONDO_DATABASE_PASSWORD_FILE"
    }

    /// The PostgreSQL configuration for `purpose`; throws `.missing` with a sentence when no URL is configured.
    public func postgresConfiguration(for purpose: Purpose) throws -> PostgresConfiguration {
        let chosen: (url: String?, passwordFile: String?, setting: String?) =
            switch purpose {
            case .administration where adminUrl != nil: (adminUrl, adminPasswordFile, adminPasswordFileSetting)
            case .notifications where listenUrl != nil: (listenUrl, passwordFile, passwordFileSetting)
            default: (url, passwordFile, passwordFileSetting)
            }
        guard let url = chosen.url else {
            throw ConfigurationError(
                code: .missing,
                message:
                    "no database configured: set ONDO_DATABASE_URL (or ONDO_ADMIN_DATABASE_URL for administration), "
                    + "pass --database-url, or set database.url in \(OndoConfiguration.defaultFile); "
                    + "or give --embedded for a private PostgreSQL cluster (development data only)")
        }
        var configuration = PostgresConfiguration(
            connectionString: url,
            passwordFile: chosen.passwordFile,
            applicationName: applicationName,
            connectTimeout: connectTimeoutSeconds == 0 ? nil : connectTimeoutSeconds,
            statementTimeout: statementTimeoutMilliseconds > 0 ? .milliseconds(statementTimeoutMilliseconds) : nil)
        configuration.passwordFileSetting = chosen.passwordFile == nil ? nil : chosen.setting
        do {
            try configuration.validate()
        } catch let error as PostgresError {
            throw ConfigurationError(code: .invalidValue, message: error.message)
        }
        return configuration
    }

    /// Overrides from `ONDO_DATABASE_*` variables.
    func applyingEnvironment(_ environment: [String: String]) throws -> DatabaseSettings {
        var settings = self
        for name in ["ONDO_DATABASE_URL", "ONDO_ADMIN_DATABASE_URL", "ONDO_DATABASE_LISTEN_URL"] {
            guard let value = environment[name], !value.isEmpty, let unusable = Self.unusableURL(value, setting: name)
            else { continue }
            throw ConfigurationError(code: .invalidEnvironment, message: unusable)
        }
        if let value = environment["ONDO_DATABASE_URL"], !value.isEmpty { settings.url = value }
        if let value = environment["ONDO_DATABASE_LISTEN_URL"], !value.isEmpty { settings.listenUrl = value }
        if let value = environment["ONDO_DATABASE_PASSWORD_FILE"], !value.isEmpty {
            settings.passwordFile = value
            settings.passwordFileSetting = "ONDO_DATABASE_PASSWORD_FILE"
        }
        if let value = environment["ONDO_ADMIN_DATABASE_URL"], !value.isEmpty { settings.adminUrl = value }
        if let value = environment["ONDO_ADMIN_DATABASE_PASSWORD_FILE"], !value.isEmpty {
            settings.adminPasswordFile = value
            settings.adminPasswordFileSetting = "ONDO_ADMIN_DATABASE_PASSWORD_FILE"
        }
        settings.connectTimeoutSeconds =
            try EnvironmentNumber.wholeNumber("ONDO_DATABASE_CONNECT_TIMEOUT", in: environment, range: 0...Int.max)
            ?? settings.connectTimeoutSeconds
        settings.statementTimeoutMilliseconds =
            try EnvironmentNumber.wholeNumber("ONDO_DATABASE_STATEMENT_TIMEOUT_MS", in: environment, range: 0...Int.max)
            ?? settings.statementTimeoutMilliseconds
        settings.maxConnections =
            try EnvironmentNumber.wholeNumber("ONDO_DATABASE_MAX_CONNECTIONS", in: environment, range: 1...Int.max)
            ?? settings.maxConnections
        try settings.validate()
        return settings
    }

    func validate() throws {
        guard maxConnections >= 1 else {
            throw ConfigurationError(code: .invalidValue, message: "database.maxConnections must be at least 1")
        }
        guard connectTimeoutSeconds >= 0 else {
            throw ConfigurationError(code: .invalidValue, message: "database.connectTimeoutSeconds cannot be negative")
        }
        guard statementTimeoutMilliseconds >= 0 else {
            throw ConfigurationError(
                code: .invalidValue, message: "database.statementTimeoutMilliseconds cannot be negative")
        }
    }

    /// These settings as read from the configuration file at `path`: the password files' settings name the file.
    func namingTheFile(_ path: String) -> DatabaseSettings {
        var settings = self
        settings.passwordFileSetting = passwordFileSetting.map { "\($0) in \(path)" }
        settings.adminPasswordFileSetting = adminPasswordFileSetting.map { "\($0) in \(path)" }
        return settings
    }

    /// Refuses a URL in the configuration file at `path` that libpq does not accept, or that holds a password.
    func checkURLsInFile(_ path: String) throws {
        let urls = [
            (url, "url", "passwordFile or ONDO_DATABASE_PASSWORD_FILE"),
            (adminUrl, "adminUrl", "adminPasswordFile or ONDO_ADMIN_DATABASE_PASSWORD_FILE"),
            (listenUrl, "listenUrl", "passwordFile or ONDO_DATABASE_PASSWORD_FILE"),
        ]
        for (value, key, _) in urls {
            guard let value, let unusable = Self.unusableURL(value, setting: "database.\(key)") else { continue }
            throw ConfigurationError(code: .invalidFile, message: "\(path): \(unusable)")
        }
        for (value, key, instead) in urls {
            guard let value, (try? PostgresConnectionString(value))?["password"] != nil else { continue }
            throw ConfigurationError(
                code: .invalidFile,
                message: "\(path): database.\(key) contains a password; configuration files must hold no secrets — "
                    + "use \(instead)")
        }
    }
}

extension DatabaseSettings: CustomStringConvertible {
    /// The settings with each URL shown as `user@host:port/dbname`: a URL may hold a password (accepted from the
    /// environment), and a value printed whole — in a log line that shows a service or a configuration — must not
    /// show it.
    public var description: String {
        func redacted(_ url: String?) -> String {
            guard let url else { return "nil" }
            return (try? PostgresConnectionString(url))?.description ?? "(unparsable connection string)"
        }
        return "DatabaseSettings(url: \(redacted(url)), passwordFile: \(passwordFile ?? "nil"), listenUrl: "
            + "\(redacted(listenUrl)), adminUrl: \(redacted(adminUrl)), adminPasswordFile: "
            + "\(adminPasswordFile ?? "nil"), applicationName: "
            + "\(applicationName), connectTimeoutSeconds: \(connectTimeoutSeconds), statementTimeoutMilliseconds: "
            + "\(statementTimeoutMilliseconds), maxConnections: \(maxConnections))"
    }
}

extension DatabaseSettings: Decodable {
    private enum CodingKeys: String, CodingKey, CaseIterable {
        case url, passwordFile, listenUrl, adminUrl, adminPasswordFile, applicationName, connectTimeoutSeconds
        case statementTimeoutMilliseconds, maxConnections
    }

    /// Keys present in the file replace the defaults; unknown keys are errors.
    public init(from decoder: any Decoder) throws {
        try SettingsKey.rejectUnknownKeys(in: decoder, known: CodingKeys.allCases.map(\.rawValue), section: "database")
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        url = try container.decodeIfPresent(String.self, forKey: .url)
        passwordFile = try container.decodeIfPresent(String.self, forKey: .passwordFile)
        passwordFileSetting = passwordFile == nil ? nil : "database.passwordFile"
        listenUrl = try container.decodeIfPresent(String.self, forKey: .listenUrl)
        adminUrl = try container.decodeIfPresent(String.self, forKey: .adminUrl)
        adminPasswordFile = try container.decodeIfPresent(String.self, forKey: .adminPasswordFile)
        adminPasswordFileSetting = adminPasswordFile == nil ? nil : "database.adminPasswordFile"
        applicationName = try container.decodeIfPresent(String.self, forKey: .applicationName) ?? applicationName
        connectTimeoutSeconds =
            try container.decodeIfPresent(Int.self, forKey: .connectTimeoutSeconds) ?? connectTimeoutSeconds
        statementTimeoutMilliseconds =
            try container.decodeIfPresent(Int.self, forKey: .statementTimeoutMilliseconds)
            ?? statementTimeoutMilliseconds
        maxConnections = try container.decodeIfPresent(Int.self, forKey: .maxConnections) ?? maxConnections
        try validate()
    }
}
