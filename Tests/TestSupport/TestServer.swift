import CRMStore
import EmbeddedPostgres
import Foundation
import Logging
import Postgres

/// The server behind `TestPostgres`: an embedded throwaway cluster or the one `ONDO_TEST_DATABASE_URL` names.
struct TestServer: Sendable {
    /// A superuser connection string (its dbname is replaced per database).
    let adminConnectionString: String
    /// The file holding the login users' password (external servers need one; the embedded cluster trusts its
    /// socket).
    let passwordFile: String?
    /// Appended to user and database names so parallel runs on one external server do not collide.
    let userSuffix: String
    let templateName: String
    let kind: String

    /// The harness's connections wait longer than Ondo's default 10 s: a test that never meant to time out should
    /// not fail because the machine stalled for a moment (a loaded CI machine, a throttled disk).
    static let connectTimeoutSeconds = 30

    var maintenanceConfiguration: PostgresConfiguration {
        PostgresConfiguration(
            connectionString: adminConnectionString, applicationName: "ondo-tests",
            connectTimeout: Self.connectTimeoutSeconds, database: "postgres")
    }

    static func start(logger: Logger) throws -> TestServer {
        if let url = ProcessInfo.processInfo.environment["ONDO_TEST_DATABASE_URL"], !url.isEmpty {
            return try external(url)
        }
        let base = try TestClusterFolder.make(prefix: "ondo-test")
        var options = EmbeddedPostgres.Options()
        options.durable = false
        options.socketDirectory = base + "/run"
        let server = try EmbeddedPostgres.start(dataDirectory: base + "/data", options: options, logger: logger)
        try server.stopWhenProcessExits(removing: base)
        ExitCleanup.shared.add(embedded: server)
        return TestServer(
            adminConnectionString: server.connectionString(database: "postgres"), passwordFile: nil, userSuffix: "",
            templateName: "ondo_template", kind: "cluster in \(base)")
    }

    private static func external(_ url: String) throws -> TestServer {
        _ = try PostgresConnectionString(url)
        let suffix = "_" + String(UInt32.random(in: 0...UInt32.max), radix: 36)
        let passwordFile = try TestFiles.path("ondo-test-password\(suffix)")
        let password = UUID().uuidString
        guard
            FileManager.default.createFile(
                atPath: passwordFile, contents: Data(password.utf8), attributes: [.posixPermissions: 0o600])
        else {
            throw PostgresError(code: .configuration, message: "cannot write \(passwordFile)")
        }
        ExitCleanup.shared.add(file: passwordFile)
        return TestServer(
            adminConnectionString: url, passwordFile: passwordFile, userSuffix: suffix,
            templateName: "ondo_template\(suffix)", kind: "from ONDO_TEST_DATABASE_URL")
    }

    /// Creates and migrates the template database, then the login users.
    func prepareTemplate(migrationsDirectory: URL, logger: Logger) throws {
        let admin = try PostgresConnection(configuration: maintenanceConfiguration, logger: logger)
        defer { admin.close() }
        ExitCleanup.shared.configure(admin: maintenanceConfiguration)
        try admin.execute("CREATE DATABASE \(identifier: templateName)")
        ExitCleanup.shared.add(database: templateName)
        var templateConfiguration = maintenanceConfiguration
        templateConfiguration.database = templateName
        let template = try PostgresConnection(configuration: templateConfiguration, logger: logger)
        defer { template.close() }
        _ = try Migrator(directory: migrationsDirectory, logger: logger).migrate(on: template)
        let password = try passwordFile.map { try String(contentsOfFile: $0, encoding: .utf8) }
        for role in [TestRole.app, .shop, .report] {
            guard let user = role.userName(suffix: userSuffix), let group = OndoRole(name: role.rawValue) else {
                continue
            }
            _ = try LoginRoles.addLogin(name: user, role: group, password: password, on: template)
            ExitCleanup.shared.add(role: user)
        }
    }
}
