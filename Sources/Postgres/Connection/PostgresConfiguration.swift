import Foundation

/// How to reach a PostgreSQL server: a libpq connection string plus Ondo's session settings.
///
/// The password should come from `passwordFile` (read when connecting, never stored), libpq's own `PGPASSWORD` /
/// `~/.pgpass`, or the connection string itself (discouraged: it then shows up wherever the string does).
/// `description` is redacted: it never contains a password.
public struct PostgresConfiguration: Sendable, CustomStringConvertible {
    /// A URI (`postgresql://user@host:5432/db?sslmode=require`) or `key=value` string, parsed by libpq.
    public var connectionString: String
    /// A file whose content (without trailing newlines) is the password. Read on every connect.
    public var passwordFile: String?
    /// The setting that named `passwordFile` (`ONDO_DATABASE_PASSWORD_FILE`, `--database-password-file`, …), for the
    /// error when the file cannot be read: it may have come from the environment, a file or the command line.
    public var passwordFileSetting: String?
    /// Reported in `pg_stat_activity` unless the connection string sets `application_name` itself.
    public var applicationName: String
    /// Seconds to wait for a connection before giving up; `nil` or 0 waits indefinitely (0 is libpq's "no limit"),
    /// and 1 waits 2 s (libpq's own minimum: it reads 1 as 2).
    public var connectTimeout: Int?
    /// The server cancels any statement that runs longer (`statement_timeout`); `nil` keeps the server's default.
    public var statementTimeout: Duration?
    /// Replaces the user the connection string names.
    public var user: String?
    /// Replaces the database the connection string names.
    public var database: String?

    /// A configuration with Ondo's defaults: application name `ondo`, 10 s connect timeout, no statement timeout.
    public init(
        connectionString: String,
        passwordFile: String? = nil,
        applicationName: String = "ondo",
        connectTimeout: Int? = 10,
        statementTimeout: Duration? = nil,
        user: String? = nil,
        database: String? = nil
    ) {
        self.connectionString = connectionString
        self.passwordFile = passwordFile
        self.applicationName = applicationName
        self.connectTimeout = connectTimeout
        self.statementTimeout = statementTimeout
        self.user = user
        self.database = database
    }

    /// Checks, without connecting, that libpq can parse the connection string and accepts its values
    /// (``PostgresConnectionString/refusedValue``); throws code `.configuration`, which no retry mends.
    public func validate() throws {
        _ = try parsedConnectionString()
    }

    private func parsedConnectionString() throws -> PostgresConnectionString {
        let parsed = try PostgresConnectionString(connectionString)
        if let refused = parsed.refusedValue {
            throw PostgresError(
                code: .configuration, message: PostgresConnectionString.invalidPrefix + refused)
        }
        return parsed
    }

    /// ``statementTimeout`` in whole milliseconds, as the connection sets it.
    var statementTimeoutMilliseconds: Int? {
        guard let statementTimeout else { return nil }
        let (seconds, attoseconds) = statementTimeout.components
        return Int(max(0, seconds * 1000 + attoseconds / 1_000_000_000_000_000))
    }

    /// `user@host:port/dbname`; never a password.
    public var description: String {
        guard var parsed = try? PostgresConnectionString(connectionString) else {
            return "postgresql://(unparsable connection string)"
        }
        if let user { parsed["user"] = user }
        if let database { parsed["dbname"] = database }
        return parsed.description
    }

    /// The seconds libpq is given to connect: `connectTimeout`, at least 2 (libpq's own minimum); nil for no limit
    /// (`connectTimeout` nil or 0), when libpq is given no `connect_timeout`.
    var effectiveConnectTimeout: Int? {
        guard let connectTimeout, connectTimeout != 0 else { return nil }
        return max(connectTimeout, 2)
    }

    /// The keyword/value pairs for `PQconnectdbParams`, the connection string first (expanded by libpq), then
    /// the settings that override it. Reads the password file.
    func connectParameters() throws -> [(String, String)] {
        let parsed = try parsedConnectionString()
        var parameters: [(String, String)] = [("dbname", connectionString)]
        if let user { parameters.append(("user", user)) }
        if let database { parameters.append(("dbname", database)) }
        if parsed["application_name"] == nil { parameters.append(("application_name", applicationName)) }
        if let effectiveConnectTimeout { parameters.append(("connect_timeout", String(effectiveConnectTimeout))) }
        parameters.append(("client_encoding", "UTF8"))
        // The decoders rely on ISO dates, UTC and hex bytea, whatever the server's defaults are.
        var options = parsed["options"].map { [$0] } ?? []
        options += ["-c DateStyle=ISO,YMD", "-c TimeZone=UTC", "-c bytea_output=hex", "-c IntervalStyle=iso_8601"]
        if let statementTimeoutMilliseconds {
            options.append("-c statement_timeout=\(statementTimeoutMilliseconds)")
        }
        parameters.append(("options", options.joined(separator: " ")))
        if let passwordFile {
            parameters.append(("password", try PasswordFile.read(passwordFile, namedBy: passwordFileSetting)))
        }
        return parameters
    }
}
