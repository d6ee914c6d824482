import EmbeddedPostgres
import Foundation
import TestSupport
import Testing

/// A hint that names a command to run next gives it with the options that chose the database: without them it
/// went to $ONDO_DATABASE_URL, or found no database at all (no ONDO_* variable is set here). Each test runs the
/// command its hint names, to show that it is the one that works.
@Suite struct ConnectionHintTests {
    /// `ondo generate --database-url …` on an unmigrated database said "run `ondo migrate` first".
    @Test func generateGivenADatabaseURLNamesTheMigrateThatReachesIt() async throws {
        let db = try await TestPostgres.shared.emptyDatabase("HintDatabaseURL")
        let connection = ["--database-url", db.connectionString(as: .admin)]
        let generate = ["generate", "--customers", "5", "--products", "2", "--orders", "5", "--reviews", "2"]
        let refused = try await OndoExecutable.run(generate + connection)
        #expect(refused.status == 1, "\(refused.standardError)")
        #expect(refused.standardError.contains("run `ondo migrate --database-url "), "\(refused.standardError)")
        let hint = try #require(try ShellHint.ondoArguments(in: refused.standardError), "\(refused.standardError)")
        #expect(hint == ["migrate"] + connection)

        let migrate = try await OndoExecutable.run(hint)
        #expect(migrate.status == 0, "\(migrate.standardError)")
        #expect(try await OndoExecutable.run(generate + connection).status == 0)
    }

    /// `ondo roles add-login` and `roles harden` on a cluster without Ondo's group roles said "run ondo migrate
    /// first". (Roles are the cluster's: a cluster of its own, as a new server is.)
    @Test func rolesGivenADatabaseURLNameTheMigrateThatReachesIt() async throws {
        let folder = try DemoFolder("hint-roles")
        defer { folder.remove() }
        let server = try await runBlocking {
            try EmbeddedPostgres.start(dataDirectory: folder.dataDirectory, logger: TestPostgres.logger)
        }
        defer { try? server.stop() }
        let connection = ["--database-url", server.connectionString()]
        let addLogin = ["roles", "add-login", "hint_app", "--role", "app", "--no-password"]
        var hints: [[String]] = []
        for command in [addLogin, ["roles", "harden", "--dry-run"]] {
            let refused = try await OndoExecutable.run(command + connection)
            #expect(refused.status == 1, "\(command): \(refused.standardError)")
            let hint = try ShellHint.ondoArguments(in: refused.standardError)
            hints.append(try #require(hint, "\(command): \(refused.standardError)"))
        }
        #expect(hints == [["migrate"] + connection, ["migrate"] + connection])

        let migrate = try await OndoExecutable.run(hints[0])
        #expect(migrate.status == 0, "\(migrate.standardError)")
        let added = try await OndoExecutable.run(addLogin + connection)
        #expect(added.status == 0, "\(added.standardError)")
    }
}
