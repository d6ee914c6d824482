import EmbeddedPostgres
import Foundation
import Postgres
import TestSupport
import Testing

/// The private cluster launcher: settings, TCP with password authentication, stop and reuse.
@Suite(.serialized) struct EmbeddedPostgresTests {
    @Test func startsListensOnTCPStopsAndReusesItsFolder() async throws {
        let base = try TestClusterFolder.make(prefix: "ondo-embedded-test")
        defer { try? FileManager.default.removeItem(atPath: base) }
        let passwordFile = base + "/password"
        try "tcp-pass-123\n".write(toFile: passwordFile, atomically: true, encoding: .utf8)

        let outcome = try await runBlocking { () -> (String, String, Bool, Bool, String?, Int) in
            var options = EmbeddedPostgres.Options()
            options.listenOnTCP = true
            options.port = 0
            options.durable = false
            let server = try EmbeddedPostgres.start(
                dataDirectory: base + "/data", options: options, logger: TestPostgres.logger)
            // Stopped below on purpose; this covers a throw before that, which would leave the server running
            // (no watchdog) after its folder is deleted. A second stop finds no pid file and does nothing.
            defer { try? server.stop() }
            let superuser = PostgresConfiguration(connectionString: server.connectionString())
            let admin = try PostgresConnection(configuration: superuser, logger: TestPostgres.logger)
            let maxConnections = try admin.queryValue(String.self, "SHOW max_connections")
            let fsync = try admin.queryValue(String.self, "SHOW fsync")
            try admin.execute("ALTER ROLE ondo PASSWORD 'tcp-pass-123'")
            try admin.execute("CREATE TABLE kept (n int)")
            try admin.execute("INSERT INTO kept VALUES (1), (2)")
            admin.close()

            let tcp = "host=127.0.0.1 port=\(server.port) user=ondo dbname=postgres"
            let withPassword = PostgresConfiguration(connectionString: tcp, passwordFile: passwordFile)
            let tcpWorks = (try? PostgresConnection(configuration: withPassword, logger: TestPostgres.logger)) != nil
            var wrongMessage: String?
            do {
                _ = try PostgresConnection(
                    configuration: PostgresConfiguration(connectionString: tcp + " password=wrong-secret"),
                    logger: TestPostgres.logger)
            } catch let error as PostgresError { wrongMessage = error.description }
            let dataOwner =
                try FileManager.default.attributesOfItem(atPath: base + "/data")[.ownerAccountName] as? String
            try server.stop()
            let stopped = server.postmasterPID == nil

            let again = try EmbeddedPostgres.start(
                dataDirectory: base + "/data", options: options, logger: TestPostgres.logger)
            defer { try? again.stop() }
            let reopened = try PostgresConnection(
                configuration: PostgresConfiguration(connectionString: again.connectionString()),
                logger: TestPostgres.logger)
            defer { reopened.close() }
            let kept = try reopened.queryValue(Int.self, "SELECT count(*) FROM kept")
            return (maxConnections, fsync, tcpWorks && stopped, dataOwner != "root", wrongMessage, kept)
        }
        #expect(outcome.0 == "200")
        #expect(outcome.1 == "off")
        #expect(outcome.2, "TCP login with the password file works, and stop() stops the server")
        #expect(outcome.3 || geteuid() != 0, "as root, the data folder belongs to the unprivileged server user")
        #expect(outcome.4?.contains("password authentication failed") == true)
        #expect(outcome.4?.contains("wrong-secret") == false)
        #expect(outcome.5 == 2, "a restarted cluster reuses its folder and keeps its data")
    }

    @Test func serverThatDidNotStartInTimeIsNotLeftRunning() async throws {
        let base = try TestClusterFolder.make(prefix: "ondo-embedded-test")
        let dataDirectory = base + "/data"
        defer {
            // Only a failing run leaves a server here; shut it down (immediate mode) before deleting its folder.
            for pid in RunningProcesses.withArguments(dataDirectory) { kill(pid, SIGQUIT) }
            try? FileManager.default.removeItem(atPath: base)
        }
        var options = EmbeddedPostgres.Options()
        options.durable = false
        options.socketDirectory = base + "/run"
        // pg_ctl gives up waiting at once and reports failure, while the server it launched goes on starting:
        // what a start slower than `timeoutSeconds` (a loaded machine) looks like.
        options.timeoutSeconds = 0
        let launchOptions = options
        let error = await #expect(throws: EmbeddedPostgresError.self) {
            try await runBlocking {
                _ = try EmbeddedPostgres.start(
                    dataDirectory: dataDirectory, options: launchOptions, logger: TestPostgres.logger)
            }
        }
        #expect(error?.code == .startFailed)
        // A stopped server's process may take a moment to disappear from /proc; one left running never does. The
        // postmaster runs as `postgres -D <folder>`.
        var remaining = RunningProcesses.withArguments(dataDirectory)
        for _ in 0..<100 where !remaining.isEmpty {
            try await Task.sleep(for: .milliseconds(50))
            remaining = RunningProcesses.withArguments(dataDirectory)
        }
        #expect(remaining.isEmpty, "the server launched by a failed start must not be left running")
    }

    @Test func stopEndsAndReapsTheWatchdog() async throws {
        let base = try TestClusterFolder.make(prefix: "ondo-embedded-test")
        defer { try? FileManager.default.removeItem(atPath: base) }
        var options = EmbeddedPostgres.Options()
        options.durable = false
        options.stopWhenProcessExits = true
        let launchOptions = options
        let watchdogs = try await runBlocking { () -> [pid_t] in
            let server = try EmbeddedPostgres.start(
                dataDirectory: base + "/data", options: launchOptions, logger: TestPostgres.logger)
            let found = RunningProcesses.watchdogs(of: base + "/data")
            try server.stop()
            return found
        }
        #expect(watchdogs.count == 1, "one watchdog while the server ran")
        // Killed and reaped by stop(): no process, not even a zombie, is left under that pid.
        for pid in watchdogs {
            #expect(!FileManager.default.fileExists(atPath: "/proc/\(pid)/stat"), "watchdog \(pid) left behind")
        }
    }

    @Test func missingBinariesNameTheDebianPackage() {
        let error = #expect(throws: EmbeddedPostgresError.self) {
            try PostgresBinaries.locate(environment: ["PATH": "/nonexistent"], versionedRoot: "/nonexistent")
        }
        #expect(error?.code == .binariesNotFound)
        #expect(error?.message.contains("postgresql") == true)
    }

    @Test func refusesAFolderThatIsNotACluster() async throws {
        let base = try EmbeddedPostgres.makeTemporaryDirectory(prefix: "ondo-embedded-test")
        defer { try? FileManager.default.removeItem(atPath: base) }
        try "not a cluster".write(toFile: base + "/stray.txt", atomically: true, encoding: .utf8)
        let error = #expect(throws: EmbeddedPostgresError.self) {
            try EmbeddedPostgres.start(dataDirectory: base, logger: TestPostgres.logger)
        }
        #expect(error?.code == .invalidDataDirectory)
    }
}
