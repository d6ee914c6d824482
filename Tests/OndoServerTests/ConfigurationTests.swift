import CRM
import Foundation
import OndoServer
import Testing

/// Configuration layering (file, environment, flags), validation and secrets.
@Suite struct ConfigurationTests {
    /// A folder for this test's files, removed when the test ends (Swift Testing makes a suite value per test).
    private final class TemporaryFolder: Sendable {
        let path = NSTemporaryDirectory() + "ondo-config-\(UUID().uuidString)"

        deinit {
            try? FileManager.default.removeItem(atPath: path)
        }
    }

    private let folder = TemporaryFolder()

    private func file(_ json: String) throws -> String {
        try FileManager.default.createDirectory(atPath: folder.path, withIntermediateDirectories: true)
        let path = folder.path + "/\(UUID().uuidString).json"
        try json.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func defaultsAreDocumentedValues() throws {
        let settings = try OndoConfiguration.load(file: file("{}"), environment: [:]).database
        #expect(settings.url == nil)
        #expect(settings.applicationName == "ondo")
        #expect(settings.connectTimeoutSeconds == 10)
        #expect(settings.statementTimeoutMilliseconds == 30_000)
        #expect(settings.maxConnections == 8)
    }

    @Test func fileThenEnvironmentThenFlags() throws {
        let path = try file(
            #"{"database": {"url": "postgresql://file@db/ondo", "maxConnections": 3, "applicationName": "ondo-a"}}"#)
        let fromFile = try OndoConfiguration.load(file: path, environment: [:]).database
        #expect(fromFile.url == "postgresql://file@db/ondo")
        #expect(fromFile.maxConnections == 3)

        let environment = ["ONDO_DATABASE_URL": "postgresql://env@db/ondo", "ONDO_DATABASE_MAX_CONNECTIONS": "5"]
        let fromEnvironment = try OndoConfiguration.load(file: path, environment: environment).database
        #expect(fromEnvironment.url == "postgresql://env@db/ondo")
        #expect(fromEnvironment.maxConnections == 5)
        #expect(fromEnvironment.applicationName == "ondo-a")

        let fromFlags = try fromEnvironment.applyingCommandLine(
            url: "postgresql://flag@db/ondo", passwordFile: "/run/pw")
        let configuration = try fromFlags.postgresConfiguration(for: .application)
        #expect(configuration.connectionString == "postgresql://flag@db/ondo")
        #expect(configuration.passwordFile == "/run/pw")
        #expect(configuration.statementTimeout == .milliseconds(30_000))
    }

    @Test func configFileFromEnvironmentVariable() throws {
        let path = try file(#"{"database": {"maxConnections": 2}}"#)
        #expect(try OndoConfiguration.load(environment: ["ONDO_CONFIG": path]).database.maxConnections == 2)
        let missing = #expect(throws: ConfigurationError.self) {
            try OndoConfiguration.load(environment: ["ONDO_CONFIG": "/nonexistent/ondo.json"])
        }
        #expect(missing?.message.contains("/nonexistent/ondo.json") == true)
    }

    /// A configuration file that cannot be read says why and which setting named it; each read "cannot read the
    /// configuration file PATH" alone.
    @Test func aConfigFileThatCannotBeReadSaysWhyAndWhoNamedIt() throws {
        try FileManager.default.createDirectory(atPath: folder.path, withIntermediateDirectories: true)
        let missing = #expect(throws: ConfigurationError.self) {
            try OndoConfiguration.load(file: folder.path + "/missing.json", environment: [:])
        }
        #expect(
            missing?.message == "cannot read the configuration file \(folder.path)/missing.json (named by --config): "
                + "it does not exist")
        let aFolder = #expect(throws: ConfigurationError.self) {
            try OndoConfiguration.load(environment: ["ONDO_CONFIG": folder.path])
        }
        #expect(
            aFolder?.message == "cannot read the configuration file \(folder.path) (named by ONDO_CONFIG): it is a "
                + "folder, not a file")
        let underAFile = #expect(throws: ConfigurationError.self) {
            try OndoConfiguration.load(file: try file("{}") + "/ondo.json", environment: [:])
        }
        #expect(underAFile?.message.hasSuffix(": Not a directory") == true, "\(underAFile?.message ?? "")")
    }

    @Test func administrationPrefersTheAdminURLUnlessAFlagIsGiven() throws {
        var settings = DatabaseSettings()
        settings.url = "postgresql://app@db/ondo"
        settings.adminUrl = "postgresql://admin@db/ondo"
        #expect(try settings.postgresConfiguration(for: .application).connectionString == "postgresql://app@db/ondo")
        #expect(
            try settings.postgresConfiguration(for: .administration).connectionString == "postgresql://admin@db/ondo")
        let flagged = try settings.applyingCommandLine(url: "postgresql://cli@db/ondo", passwordFile: nil)
        #expect(try flagged.postgresConfiguration(for: .administration).connectionString == "postgresql://cli@db/ondo")
    }

    @Test func aPasswordFileFlagServesTheAdminURLFromTheEnvironment() throws {
        let environment = [
            "ONDO_DATABASE_URL": "postgresql://app@db/ondo",
            "ONDO_ADMIN_DATABASE_URL": "postgresql://admin@db/ondo",
            "ONDO_ADMIN_DATABASE_PASSWORD_FILE": "/run/secrets/admin-from-env",
        ]
        let settings = try OndoConfiguration.load(file: try file("{}"), environment: environment).database
        let flagged = try settings.applyingCommandLine(url: nil, passwordFile: "/run/secrets/from-flag")
        let administration = try flagged.postgresConfiguration(for: .administration)
        #expect(administration.connectionString == "postgresql://admin@db/ondo")
        #expect(administration.passwordFile == "/run/secrets/from-flag")
        #expect(try flagged.postgresConfiguration(for: .application).passwordFile == "/run/secrets/from-flag")

        // With a URL flag too, both purposes use the flag's URL and password file.
        let both = try settings.applyingCommandLine(url: "postgresql://cli@db/ondo", passwordFile: "/run/pw")
        let bothAdministration = try both.postgresConfiguration(for: .administration)
        #expect(bothAdministration.connectionString == "postgresql://cli@db/ondo")
        #expect(bothAdministration.passwordFile == "/run/pw")
    }

    /// A password file belongs to the URL it was configured with: `--database-url` naming another login does not
    /// send it (the app's password went to an administrator's URL given to `ondo migrate`, to whatever server it
    /// named, and libpq's `~/.pgpass` was never read for it). The same login keeps it.
    @Test func aURLFlagForAnotherLoginDoesNotTakeTheAppsPasswordFile() throws {
        let environment = [
            "ONDO_DATABASE_URL": "postgresql://app_server@db:5432/ondo",
            "ONDO_DATABASE_PASSWORD_FILE": "/run/secrets/app_server_password",
        ]
        let settings = try OndoConfiguration.load(file: try file("{}"), environment: environment).database
        for other in ["postgresql://admin@db:5432/ondo", "postgresql://app_server@elsewhere:5432/ondo", "host=db"] {
            let flagged = try settings.applyingCommandLine(url: other, passwordFile: nil)
            for purpose in [DatabaseSettings.Purpose.application, .administration] {
                #expect(try flagged.postgresConfiguration(for: purpose).passwordFile == nil, "\(other)")
            }
        }
        let sameLogin = try settings.applyingCommandLine(url: "host=db port=5432 user=app_server", passwordFile: nil)
        #expect(
            try sameLogin.postgresConfiguration(for: .administration).passwordFile == "/run/secrets/app_server_password"
        )
        // The administrator's password file goes with a URL naming the administrator's login.
        let withAdmin = try OndoConfiguration.load(
            file: try file("{}"),
            environment: environment.merging([
                "ONDO_ADMIN_DATABASE_URL": "postgresql://admin@db:5432/ondo",
                "ONDO_ADMIN_DATABASE_PASSWORD_FILE": "/run/secrets/admin_password",
            ]) { $1 }
        ).database
        let adminFlagged = try withAdmin.applyingCommandLine(url: "postgresql://admin@db:5432/other", passwordFile: nil)
        #expect(
            try adminFlagged.postgresConfiguration(for: .administration).passwordFile == "/run/secrets/admin_password")
        // A password file configured without a URL can only be meant for the one on the command line; one given with
        // the flag serves any URL.
        let fileAlone = try OndoConfiguration.load(
            file: try file("{}"), environment: ["ONDO_DATABASE_PASSWORD_FILE": "/run/pw"]
        ).database
        #expect(
            try fileAlone.applyingCommandLine(url: "host=db user=admin", passwordFile: nil)
                .postgresConfiguration(for: .administration).passwordFile == "/run/pw")
        #expect(
            try settings.applyingCommandLine(url: "host=db user=admin", passwordFile: "/run/admin")
                .postgresConfiguration(for: .administration).passwordFile == "/run/admin")
    }

    /// `database.listenUrl` (`ONDO_DATABASE_LISTEN_URL`) is the notification listener's connection, with the
    /// application's password file; unset, the listener uses `url`. `--database-url` replaces `url` only: behind a
    /// transaction pooler the pooled URL goes on the command line and the direct listen URL stays.
    @Test func theListenURLIsReadFromTheFileAndTheEnvironment() throws {
        let path = try file(
            #"{"database": {"url": "postgresql://app@pooler:6432/ondo", "listenUrl": "postgresql://app@db:5432/ondo", "#
                + #""passwordFile": "/run/pw"}}"#)
        let fromFile = try OndoConfiguration.load(file: path, environment: [:]).database
        #expect(fromFile.listenUrl == "postgresql://app@db:5432/ondo")
        let listening = try fromFile.postgresConfiguration(for: .notifications)
        #expect(listening.connectionString == "postgresql://app@db:5432/ondo")
        #expect(listening.passwordFile == "/run/pw")
        #expect(try fromFile.postgresConfiguration(for: .application).connectionString.contains("pooler"))

        let fromEnvironment = try OndoConfiguration.load(
            file: path, environment: ["ONDO_DATABASE_LISTEN_URL": "host=/run/postgresql dbname=ondo user=app"]
        ).database
        #expect(
            try fromEnvironment.postgresConfiguration(for: .notifications).connectionString
                == "host=/run/postgresql dbname=ondo user=app")
        let flagged = try fromEnvironment.applyingCommandLine(
            url: "postgresql://app@pooler:6432/ondo", passwordFile: nil)
        #expect(
            try flagged.postgresConfiguration(for: .notifications).connectionString
                == "host=/run/postgresql dbname=ondo user=app")

        // Unset, the listener uses the application's URL, as before.
        let unset = try OndoConfiguration.load(
            file: try file("{}"), environment: ["ONDO_DATABASE_URL": "postgresql://app@db/ondo"]
        ).database
        #expect(unset.listenUrl == nil)
        #expect(try unset.postgresConfiguration(for: .notifications).connectionString == "postgresql://app@db/ondo")
    }

    /// A listen URL libpq refuses, or one in the file holding a password, is refused naming the setting; a password
    /// in the environment's is shown by no description.
    @Test func aRefusedListenURLNamesTheSetting() throws {
        let fromEnvironment = #expect(throws: ConfigurationError.self) {
            try OndoConfiguration.load(file: try file("{}"), environment: ["ONDO_DATABASE_LISTEN_URL": "hots=db"])
        }
        #expect(
            fromEnvironment?.message.hasPrefix("ONDO_DATABASE_LISTEN_URL is not a connection string libpq accepts")
                == true, "\(fromEnvironment?.message ?? "")")
        let inFile = #expect(throws: ConfigurationError.self) {
            try OndoConfiguration.load(
                file: try file(#"{"database": {"listenUrl": "host=db port=notaport"}}"#), environment: [:])
        }
        #expect(
            inFile?.message.contains("database.listenUrl is not a connection string libpq accepts") == true,
            "\(inFile?.message ?? "")")
        let withPassword = #expect(throws: ConfigurationError.self) {
            try OndoConfiguration.read(try file(#"{"database": {"listenUrl": "host=db password=hunter2"}}"#))
        }
        let message = withPassword?.message ?? ""
        #expect(message.contains("database.listenUrl contains a password"), "\(message)")
        #expect(message.contains("use passwordFile or ONDO_DATABASE_PASSWORD_FILE"), "\(message)")
        #expect(!message.contains("hunter2"))

        let secret = try OndoConfiguration.load(
            file: try file("{}"), environment: ["ONDO_DATABASE_LISTEN_URL": "postgresql://u:hunter2@db/ondo"])
        #expect(!String(describing: secret).contains("hunter2"))
        #expect(String(describing: secret.database).contains("listenUrl: postgresql://u@db/ondo"))
        #expect(try !secret.database.postgresConfiguration(for: .notifications).description.contains("hunter2"))
    }

    @Test func mistakesAreSentencesNamingTheSetting() throws {
        let unknown = #expect(throws: ConfigurationError.self) {
            try OndoConfiguration.read(try file(#"{"database": {"maxConnection": 3}}"#))
        }
        #expect(unknown?.message.contains("\"maxConnection\"") == true)
        let topLevel = #expect(throws: ConfigurationError.self) {
            try OndoConfiguration.read(try file(#"{"databse": {}}"#))
        }
        #expect(topLevel?.message.contains("\"databse\"") == true)
        let wrongType = #expect(throws: ConfigurationError.self) {
            try OndoConfiguration.read(try file(#"{"database": {"maxConnections": "eight"}}"#))
        }
        #expect(wrongType?.message.contains("database.maxConnections") == true)
        let range = #expect(throws: ConfigurationError.self) {
            try OndoConfiguration.read(try file(#"{"database": {"maxConnections": 0}}"#))
        }
        #expect(range?.message.contains("maxConnections") == true)
        let missing = #expect(throws: ConfigurationError.self) {
            try DatabaseSettings().postgresConfiguration(for: .application)
        }
        #expect(missing?.code == .missing)
        #expect(missing?.message.contains("ONDO_DATABASE_URL") == true)
    }

    /// A new user who runs a database command with nothing configured learns of `--embedded`, the way the README
    /// starts them off, not only of the settings for a server they may not have.
    @Test func noDatabaseConfiguredNamesTheEmbeddedCluster() throws {
        let missing = #expect(throws: ConfigurationError.self) {
            try DatabaseSettings().postgresConfiguration(for: .administration)
        }
        #expect(missing?.message.contains("--database-url") == true)
        #expect(missing?.message.contains("--embedded") == true)
    }

    /// A value of the wrong kind is valid JSON: the sentence must name the setting and what it needs, not call
    /// the file broken JSON (which sends the operator looking for a syntax error) or name a Swift type.
    @Test func wrongKindsOfValuesNameTheSettingInWords() throws {
        for (json, setting, wanted) in [
            (#"{"pipeline": {"workers": 4.5}}"#, "pipeline.workers", "a whole number"),
            (#"{"server": {"httpPort": 1e20}}"#, "server.httpPort", "a whole number"),
            (#"{"states": {"textWeight": "x"}}"#, "states.textWeight", "a number"),
            (#"{"aspects": []}"#, "aspects", "an object"),
            (#"{"server": {"standInModel": 1}}"#, "server.standInModel", "true or false"),
            (#"[]"#, "", "an object"),
        ] {
            let error = #expect(throws: ConfigurationError.self) { try OndoConfiguration.read(try file(json)) }
            let message = error?.message ?? ""
            #expect(message.contains("\(setting): expected \(wanted)") || setting.isEmpty, "\(json): \(message)")
            #expect(message.contains("expected \(wanted)"), "\(json): \(message)")
            #expect(!message.contains("not valid JSON") && !message.contains("Dictionary"), "\(json): \(message)")
        }
        let syntax = #expect(throws: ConfigurationError.self) {
            try OndoConfiguration.read(try file(#"{"pipeline": "#))
        }
        #expect(syntax?.message.contains("not valid JSON") == true)
    }

    /// An empty variable means "not set" for every other `ONDO_…` variable (a blank line in an env file).
    @Test func anEmptyConfigVariableMeansTheDefaultFile() throws {
        #expect(throws: Never.self) { _ = try OndoConfiguration.load(environment: ["ONDO_CONFIG": ""]) }
    }

    /// The refusal names the key that holds the password and the password file that goes with it: the
    /// administrator's URL has its own (`adminPasswordFile`). It named `passwordFile` for either.
    @Test func aPasswordInTheFileNamesItsKeyAndItsPasswordFile() throws {
        let application = #expect(throws: ConfigurationError.self) {
            try OndoConfiguration.read(try file(#"{"database": {"url": "host=db password=hunter2"}}"#))
        }
        let first = application?.message ?? ""
        #expect(first.contains("database.url contains a password"), "\(first)")
        #expect(first.contains("use passwordFile or ONDO_DATABASE_PASSWORD_FILE"), "\(first)")
        let administration = #expect(throws: ConfigurationError.self) {
            try OndoConfiguration.read(try file(#"{"database": {"adminUrl": "host=db password=hunter2"}}"#))
        }
        let message = administration?.message ?? ""
        #expect(message.contains("database.adminUrl contains a password"), "\(message)")
        #expect(message.contains("use adminPasswordFile or ONDO_ADMIN_DATABASE_PASSWORD_FILE"), "\(message)")
        #expect(!message.contains("hunter2"))
    }

    @Test func passwordsStayOutOfFilesAndCommandLines() throws {
        let inFile = #expect(throws: ConfigurationError.self) {
            try OndoConfiguration.read(try file(#"{"database": {"url": "postgresql://u:hunter2@db/ondo"}}"#))
        }
        #expect(inFile?.message.contains("hunter2") == false)
        #expect(inFile?.message.contains("password") == true)
        let onCommandLine = #expect(throws: ConfigurationError.self) {
            try DatabaseSettings().applyingCommandLine(url: "host=db password=hunter2", passwordFile: nil)
        }
        #expect(onCommandLine?.message.contains("hunter2") == false)
        // From the environment it is accepted (not visible to other users), though a password file is better.
        let fromEnvironment = try OndoConfiguration.load(
            file: try file("{}"), environment: ["ONDO_DATABASE_URL": "postgresql://u:hunter2@db/ondo"])
        #expect(try !fromEnvironment.database.postgresConfiguration(for: .application).description.contains("hunter2"))
        // Nor does the configuration show it when printed whole (a log line that shows what a service holds).
        #expect(!String(describing: fromEnvironment).contains("hunter2"))
        #expect(String(describing: fromEnvironment.database).contains("postgresql://u@db/ondo"))
    }

    @Test func committedConfigFileIsValidAndSecretFree() throws {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let settings = try OndoConfiguration.read(repository.appendingPathComponent("config/ondo.json").path).database
        #expect(settings.url == nil)
        #expect(settings.adminUrl == nil)
    }
}

@Suite struct PipelineConfigurationTests {
    func read(_ json: String) throws -> OndoConfiguration {
        let path = NSTemporaryDirectory() + "ondo-config-\(UUID().uuidString).json"
        try json.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try OndoConfiguration.read(path)
    }

    @Test func theShippedFileHoldsTheDefaults() throws {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let shipped = try OndoConfiguration.read(repository.appendingPathComponent("config/ondo.json").path)
        #expect(shipped.pipeline == PipelineSettings())
        #expect(shipped.states == StateRules())
        #expect(shipped.server == ServerSettings())
    }

    @Test func workersLingerOnlyAfterPartlyFullClaims() throws {
        var settings = PipelineSettings()
        settings.batchSize = 100
        settings.batchLingerSeconds = 0.03
        #expect(settings.linger(afterClaiming: 0) == nil, "idle queue")
        #expect(settings.linger(afterClaiming: PipelineSettings.lingerMinimumClaim - 1) == nil, "light load: no delay")
        #expect(settings.linger(afterClaiming: PipelineSettings.lingerMinimumClaim) == .milliseconds(30))
        #expect(settings.linger(afterClaiming: 99) == .milliseconds(30))
        #expect(settings.linger(afterClaiming: 100) == nil, "a full claim means a backlog: claim again at once")
        settings.batchLingerSeconds = 0
        #expect(settings.linger(afterClaiming: 50) == nil, "turned off")
        let tooLong = #expect(throws: ConfigurationError.self) { try read(#"{"pipeline": {"batchLingerSeconds": 5}}"#) }
        #expect(tooLong?.message.contains("pipeline.batchLingerSeconds must be between 0 and 1") == true)
    }

    @Test func sectionsOverrideOnlyWhatTheyName() throws {
        let configuration = try read(
            #"{"pipeline": {"workers": 6, "retry": {"maximumAttempts": 9}}, "states": {"churnAfterDays": 90}}"#)
        #expect(configuration.pipeline.workers == 6)
        #expect(configuration.pipeline.batchSize == PipelineSettings().batchSize)
        #expect(configuration.pipeline.retry.maximumAttempts == 9)
        #expect(configuration.pipeline.retry.initialDelaySeconds == RetryPolicy().initialDelaySeconds)
        #expect(configuration.states.churnAfterDays == 90)
    }

    @Test func typosAndInconsistenciesAreRefusedWithASentence() throws {
        let typo = #expect(throws: ConfigurationError.self) { try read(#"{"states": {"churnAfterDay": 90}}"#) }
        #expect(typo?.message.contains(#"unknown setting "churnAfterDay" in "states""#) == true)
        let retryTypo = #expect(throws: ConfigurationError.self) {
            try read(#"{"pipeline": {"retry": {"attempts": 2}}}"#)
        }
        #expect(retryTypo?.message.contains(#"unknown setting "attempts" in "pipeline.retry""#) == true)
        let inconsistent = #expect(throws: ConfigurationError.self) {
            try read(#"{"states": {"atRiskAfterDays": 200}, "pipeline": {"workers": 0}}"#)
        }
        #expect(inconsistent?.message.contains("pipeline.workers must be between 1 and 64 (it is 0)") == true)
        let tooMany = #expect(throws: ConfigurationError.self) { try read(#"{"pipeline": {"workers": 100000}}"#) }
        #expect(tooMany?.message.contains("pipeline.workers must be between 1 and 64 (it is 100000)") == true)
        #expect(
            inconsistent?.message.contains("atRiskAfterDays (200.0) must not exceed churnAfterDays (120.0)") == true)
    }

    /// The server's range errors said "server.httpPort must be between 0 and 65535" without the value, where
    /// the other range errors add "(it is N)".
    @Test func serverRangeErrorsNameTheValue() throws {
        let port = #expect(throws: ConfigurationError.self) { try read(#"{"server": {"httpPort": 70000}}"#) }
        #expect(port?.message.contains("server.httpPort must be between 0 and 65535 (it is 70000)") == true)
        let threshold = #expect(throws: ConfigurationError.self) {
            try read(#"{"server": {"positiveThreshold": 1.5}}"#)
        }
        #expect(
            threshold?.message.contains("server.positiveThreshold must be between 0 and 1 (it is 1.5)") == true,
            "\(threshold?.message ?? "")")
    }

    /// A JSON reader keeps the first of two equal keys and drops the other without a word; an override
    /// appended to the file would be ignored, so the file is refused naming the key.
    @Test func aKeyGivenTwiceIsRefusedNamingIt() throws {
        let cases: [(String, String)] = [
            (#"{"pipeline": {"workers": 1}, "pipeline": {"workers": 3}}"#, "pipeline is given twice"),
            (#"{"pipeline": {"workers": 1, "batchSize": 64, "workers": 0}}"#, "pipeline.workers is given twice"),
            (
                #"{"aspects": {"delivery": ["배송", "택배"], "smell": ["냄새"], "delivery": ["늦어"]}}"#,
                "aspects.delivery is given twice"
            ),
        ]
        for (json, says) in cases {
            let error = #expect(throws: ConfigurationError.self) { try read(json) }
            #expect(error?.message.contains(says) == true, "\(json): \(error?.message ?? "accepted")")
        }
        // Equal keys in different objects, and equal strings as values or in lists, are fine.
        let fine = try read(
            #"{"pipeline": {"workers": 3, "retry": {"maximumAttempts": 4}}, "server": {"httpPort": 9090},"#
                + #" "aspects": {"a": ["x", "x"], "b": ["x"]}}"#)
        #expect(fine.pipeline.workers == 3)
        #expect(fine.aspects.keywords["a"] == ["x", "x"])
    }

    /// There is no lease heartbeat: a batch must be writable review by review within its lease.
    @Test func aLeaseTooShortForTheBatchIsRefusedNamingBothSettings() throws {
        let tooShort = #expect(throws: ConfigurationError.self) {
            try read(#"{"pipeline": {"batchSize": 10000, "leaseSeconds": 30}}"#)
        }
        let message = tooShort?.message ?? ""
        #expect(message.contains("pipeline.leaseSeconds (30.0) is too short for pipeline.batchSize (10000)"))
        #expect(message.contains("at least 200.0"))
        #expect(message.contains("at most 1500"))
        // The limit itself is accepted, and so are the defaults and the pipeline tests' settings.
        let limit = try read(#"{"pipeline": {"batchSize": 1500, "leaseSeconds": 30}}"#)
        #expect(limit.pipeline.batchSize == 1500)
        #expect(PipelineSettings().problems().isEmpty)
        #expect(try read(#"{"pipeline": {"batchSize": 50, "leaseSeconds": 1}}"#).pipeline.leaseSeconds == 1)
        #expect(throws: ConfigurationError.self) { try read(#"{"pipeline": {"batchSize": 51, "leaseSeconds": 1}}"#) }
        var settings = PipelineSettings()
        settings.leaseSeconds = 5
        #expect(settings.problems().count == 1, "the default batch of 256 needs 5.12 s")
    }

    /// Huge intervals were accepted: `schedulerIntervalSeconds` (or the poll, sweep or metrics interval) of 1e30
    /// stopped `ondo serve` with a crash (Duration overflow) instead of a sentence, a `maximumRecheckHours` of 1e10
    /// made every recompute of a customer with no time rule ahead fail ("timestamp out of range"; its reviews
    /// ended up discarded), and a `leaseSeconds` of 1e300 made every claim fail ("interval out of range").
    @Test func hugeIntervalsAreRefusedWithASentence() throws {
        let cases: [(String, String)] = [
            (
                #"{"pipeline": {"schedulerIntervalSeconds": 1e30}}"#,
                "pipeline.schedulerIntervalSeconds must be at most 86400"
            ),
            (#"{"pipeline": {"pollIntervalSeconds": 1e30}}"#, "pipeline.pollIntervalSeconds must be at most 86400"),
            (#"{"pipeline": {"sweepIntervalSeconds": 1e30}}"#, "pipeline.sweepIntervalSeconds must be at most 86400"),
            (#"{"pipeline": {"metricsSampleSeconds": 1e30}}"#, "pipeline.metricsSampleSeconds must be at most 86400"),
            (#"{"pipeline": {"leaseSeconds": 1e300}}"#, "pipeline.leaseSeconds must be at most 86400"),
            (#"{"pipeline": {"maximumRecheckHours": 1e10}}"#, "pipeline.maximumRecheckHours must be at most 8760"),
        ]
        for (json, says) in cases {
            let error = #expect(throws: ConfigurationError.self) { try read(json) }
            #expect(error?.message.contains(says) == true, "\(json): \(error?.message ?? "accepted")")
        }
        let limits = try read(
            #"{"pipeline": {"schedulerIntervalSeconds": 86400, "leaseSeconds": 86400, "maximumRecheckHours": 8760}}"#)
        #expect(limits.pipeline.maximumRecheckHours == 8_760)
    }

    /// The attempts a review spends waiting for a missing customer or product count towards retry.maximumAttempts
    /// until the shop inserts it: with unknownReferenceAttempts at or above the maximum, a review that should have
    /// been quarantined (`unknown_customer`) was discarded at its first genuine failure. Such settings are refused with
    /// a sentence naming both keys and their values; one attempt fewer than the maximum is accepted, and so is 1.
    @Test func unknownReferenceAttemptsMustLeaveARetryBeforeTheMaximum() throws {
        for json in [
            #"{"pipeline": {"unknownReferenceAttempts": 5}}"#,
            #"{"pipeline": {"unknownReferenceAttempts": 9, "retry": {"maximumAttempts": 4}}}"#,
        ] {
            let error = #expect(throws: ConfigurationError.self) { try read(json) }
            let message = error?.message ?? "accepted"
            #expect(message.contains("pipeline.unknownReferenceAttempts ("), "\(json): \(message)")
            #expect(message.contains("must be less than pipeline.retry.maximumAttempts ("), "\(json): \(message)")
        }
        let refused = #expect(throws: ConfigurationError.self) {
            try read(#"{"pipeline": {"unknownReferenceAttempts": 9, "retry": {"maximumAttempts": 4}}}"#)
        }
        #expect(
            refused?.message.contains(
                "pipeline.unknownReferenceAttempts (9) must be less than pipeline.retry.maximumAttempts (4)") == true)
        let accepted = try read(#"{"pipeline": {"unknownReferenceAttempts": 4, "retry": {"maximumAttempts": 5}}}"#)
        #expect(accepted.pipeline.unknownReferenceAttempts == 4)
        // 1 spends no attempt waiting: it suits a maximum of 1 (no retries at all).
        let noRetries = try read(#"{"pipeline": {"unknownReferenceAttempts": 1, "retry": {"maximumAttempts": 1}}}"#)
        #expect(noRetries.pipeline.retry.maximumAttempts == 1)
    }

    /// `ondo serve`'s shutdown time limit: read from the file, and refused at 0 (no time to finish anything) or
    /// above a day (a Duration that large overflows).
    @Test func theShutdownTimeLimitIsReadAndBounded() throws {
        #expect(PipelineSettings().shutdownTimeoutSeconds == 7)
        #expect(try read(#"{"pipeline": {"shutdownTimeoutSeconds": 25}}"#).pipeline.shutdownTimeoutSeconds == 25)
        for (json, says) in [
            (#"{"pipeline": {"shutdownTimeoutSeconds": 0}}"#, "pipeline.shutdownTimeoutSeconds must be greater than 0"),
            (
                #"{"pipeline": {"shutdownTimeoutSeconds": 1e30}}"#,
                "pipeline.shutdownTimeoutSeconds must be at most 86400"
            ),
        ] {
            let error = #expect(throws: ConfigurationError.self) { try read(json) }
            #expect(error?.message.contains(says) == true, "\(json): \(error?.message ?? "accepted")")
        }
    }

    @Test func environmentOverridesTheFile() throws {
        let configuration = try OndoConfiguration().applyingEnvironment(["ONDO_WORKERS": "5", "ONDO_HTTP_PORT": "0"])
        #expect(configuration.pipeline.workers == 5)
        #expect(configuration.server.httpPort == 0)
        #expect(throws: ConfigurationError.self) {
            try OndoConfiguration().applyingEnvironment(["ONDO_WORKERS": "many"])
        }
    }

    /// An out-of-range value from the environment is refused in the variable's name: the operator set that variable
    /// and may have no file with the key. `ONDO_DATABASE_MAX_CONNECTIONS=0` read "database.maxConnections must be at
    /// least 1".
    @Test func anOutOfRangeVariableIsNamedAsTheVariable() throws {
        for (name, value, says) in [
            ("ONDO_DATABASE_MAX_CONNECTIONS", "0", "at least 1"),
            ("ONDO_DATABASE_CONNECT_TIMEOUT", "-1", "at least 0"),
            ("ONDO_DATABASE_STATEMENT_TIMEOUT_MS", "-5", "at least 0"),
            ("ONDO_WORKERS", "0", "between 1 and 64"),
            ("ONDO_WORKERS", "65", "between 1 and 64"),
            ("ONDO_HTTP_PORT", "70000", "between 0 and 65535"),
        ] {
            let error = #expect(throws: ConfigurationError.self) {
                try OndoConfiguration().applyingEnvironment([name: value])
            }
            let message = error?.message ?? ""
            #expect(message.hasPrefix("\(name) must be \(says) (it is \(value))"), "\(name)=\(value): \(message)")
        }
        // In the file, the key is named, each timeout by its own.
        let negative = #expect(throws: ConfigurationError.self) {
            try read(#"{"database": {"statementTimeoutMilliseconds": -1}}"#)
        }
        #expect(negative?.message.contains("database.statementTimeoutMilliseconds cannot be negative") == true)
    }

    @Test func theModelVariableOverridesTheFileUnlessEmpty() throws {
        let fromFile = try read(#"{"server": {"modelPath": "/models/from-file.model"}}"#)
        #expect(fromFile.server.modelPath == "/models/from-file.model")
        let overridden = try fromFile.applyingEnvironment(["ONDO_SENTIMENT_MODEL": "/models/from-env.model"])
        #expect(overridden.server.modelPath == "/models/from-env.model")
        let empty = try fromFile.applyingEnvironment(["ONDO_SENTIMENT_MODEL": ""])
        #expect(empty.server.modelPath == "/models/from-file.model")
        #expect(try OndoConfiguration().applyingEnvironment([:]).server.modelPath == nil)
    }

    @Test func failPointsRefuseUnknownNames() throws {
        #expect(try FailPoints(environment: [:]) == FailPoints())
        let parsed = try FailPoints(environment: ["ONDO_FAILPOINTS": "score.poison=독약,worker.pause_after_score=0.5"])
        #expect(parsed.poisonText == "독약")
        #expect(parsed.pauseAfterScoreSeconds == 0.5)
        #expect(throws: ConfigurationError.self) { try FailPoints(environment: ["ONDO_FAILPOINTS": "score.typo=1"]) }
    }

    /// The fail points that take a file's path read it, and refuse an empty one.
    @Test(
        arguments: [
            ("service.throw_once_file_exists", \FailPoints.throwOnceFileExists),
            ("worker.hold_after_score_until_file", \FailPoints.holdAfterScoreUntilFile),
            ("serve.hold_start_until_file", \FailPoints.holdStartUpUntilFile),
        ] as [(String, KeyPath<FailPoints, String?> & Sendable)])
    func failPointsTakingAPathReadItAndRefuseNone(name: String, path: KeyPath<FailPoints, String?> & Sendable) throws {
        #expect(try FailPoints(environment: ["ONDO_FAILPOINTS": "\(name)=/tmp/x"])[keyPath: path] == "/tmp/x")
        #expect(throws: ConfigurationError.self) { try FailPoints(environment: ["ONDO_FAILPOINTS": "\(name)="]) }
        #expect(throws: ConfigurationError.self) { try FailPoints(environment: ["ONDO_FAILPOINTS": name]) }
    }
}
