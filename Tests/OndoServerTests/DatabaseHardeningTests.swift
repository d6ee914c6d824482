import CRMStore
import Foundation
import Postgres
import TestSupport
import Testing

/// `ondo roles harden` on a fresh database of its own (function and database grants are per database; the login
/// roles, shared by the whole test cluster, are not changed): what every connecting role could do is taken back,
/// and Ondo still migrates, serves and reports.
@Suite struct DatabaseHardeningTests {
    /// What a report login, a shop login and a login in no Ondo group could do; `nil` means it succeeded.
    struct Probes: Equatable {
        var reportTempTable: String?
        var shopTempTable: String?
        var reportCustomerLock: String?
        var reportMigrationLock: String?
        var strangerConnects: String?
    }

    private func probe(_ db: TestDatabase, stranger: PostgresConfiguration) async throws -> Probes {
        try await runBlocking {
            func attempt(_ role: TestRole, _ statement: PostgresQuery) throws -> String? {
                let connection = try db.connect(as: role)
                defer { connection.close() }
                return sqlState { try connection.execute(statement) }
            }
            return Probes(
                reportTempTable: try attempt(.report, "CREATE TEMP TABLE scratch (n int)"),
                shopTempTable: try attempt(.shop, "CREATE TEMP TABLE scratch (n int)"),
                // Customer 5's lock as the workers take it (CustomerStateStore.lockClass, "ONDO").
                reportCustomerLock: try attempt(.report, "SELECT pg_advisory_lock(1330529359, hashint8(5::bigint))"),
                reportMigrationLock: try attempt(
                    .report, "SELECT pg_catalog.pg_try_advisory_lock(\(Migrator.advisoryLockKey))"),
                strangerConnects: postgresError {
                    try PostgresConnection(configuration: stranger, logger: TestPostgres.logger).close()
                }.map { $0.message })
        }
    }

    /// A login of the cluster in no Ondo group, with the test logins' password when the server needs one.
    private func makeStranger(_ db: TestDatabase, prefix: String = "stranger_") async throws -> PostgresConfiguration {
        let name = prefix + db.name
        let passwordFile = db.environment(as: .report)["ONDO_DATABASE_PASSWORD_FILE"]
        let password = try passwordFile.map { try String(contentsOfFile: $0, encoding: .utf8) }
        try await db.withConnection { admin in
            try admin.execute("CREATE ROLE \(identifier: name) LOGIN")
            if let password {
                // ALTER ROLE takes no bind parameters: the verifier arrives through a setting, quoted by format(%L).
                let verifier = try admin.encryptPassword(password, user: name)
                try admin.execute("SELECT set_config('ondo_tests.stranger', \(name), false)")
                try admin.execute("SELECT set_config('ondo_tests.verifier', \(verifier), false)")
                try admin.execute(
                    """
                    DO $$ BEGIN EXECUTE format('ALTER ROLE %I PASSWORD %L',
                        current_setting('ondo_tests.stranger'), current_setting('ondo_tests.verifier')); END $$
                    """)
            }
        }
        var connectionString = try PostgresConnectionString(db.connectionString(as: .report))
        connectionString["user"] = name
        return PostgresConfiguration(
            connectionString: connectionString.conninfo, passwordFile: passwordFile, applicationName: "ondo-tests")
    }

    @Test func hardeningClosesWhatEveryLoginCouldDoAndOndoStillWorks() async throws {
        let harness = try await PipelineHarness.make("hardening")
        let db = harness.db
        let stranger = try await makeStranger(db)
        defer {
            if let admin = try? db.connect() {
                _ = try? admin.execute("DROP ROLE IF EXISTS \(identifier: "stranger_" + db.name)")
                admin.close()
            }
        }

        let before = try await probe(db, stranger: stranger)
        #expect(before == Probes(), "all open on an unhardened database: \(before)")

        let dryRun = try await OndoExecutable.run(["roles", "harden", "--dry-run"], environment: db.environment())
        #expect(dryRun.status == 0, "\(dryRun.standardError)")
        #expect(dryRun.standardOutput.contains("would revoke TEMPORARY on database \(db.name) from PUBLIC"))
        #expect(
            dryRun.standardOutput.contains(
                "would revoke EXECUTE on function pg_advisory_lock(integer,integer) from PUBLIC"))
        print("ondo tests: harden --dry-run:\n\(dryRun.standardOutput)")

        let refused = try await OndoExecutable.run(["roles", "harden"], environment: db.environment(as: .app))
        #expect(refused.status == 1)
        // A run-time refusal (exit 1), Ondo's own: not "PostgreSQL misuse: …".
        #expect(
            refused.standardError.hasPrefix("ondo roles harden: hardening needs a superuser connection"),
            "\(refused.standardError)")
        #expect(try await probe(db, stranger: stranger) == Probes(), "a refused run changes nothing")

        let hardened = try await OndoExecutable.run(
            ["roles", "harden", "--lock-out-others"], environment: db.environment())
        #expect(hardened.status == 0, "\(hardened.standardError)")
        #expect(hardened.standardOutput.contains("revoked CONNECT on database \(db.name) from PUBLIC"))
        #expect(
            hardened.standardOutput.contains(
                "granted EXECUTE on function pg_advisory_xact_lock(integer,integer) to ondo_app"))
        #expect(hardened.standardOutput.contains("nothing is left open"))
        let again = try await OndoExecutable.run(["roles", "harden"], environment: db.environment())
        // PUBLIC has no CONNECT left to take: nothing more is locked out, so no flag is needed.
        #expect(again.status == 0 && again.standardOutput.contains("is hardened: nothing to change"), "\(again)")

        let after = try await probe(db, stranger: stranger)
        #expect(after.reportTempTable == "42501")
        #expect(after.shopTempTable == "42501")
        #expect(after.reportCustomerLock == "42501")
        #expect(after.reportMigrationLock == "42501")
        #expect(after.strangerConnects?.contains("permission denied for database") == true, "\(after)")

        // A non-superuser administrator migrates as a member of ondo_owner: the migration lock is still its.
        let ownerLocks = try await db.withConnection { admin in
            try admin.execute("SET ROLE ondo_owner")
            defer { _ = try? admin.execute("RESET ROLE") }
            let locked = try admin.queryValue(
                Bool.self, "SELECT pg_catalog.pg_try_advisory_lock(\(Migrator.advisoryLockKey))")
            let unlocked = try admin.queryValue(
                Bool.self, "SELECT pg_catalog.pg_advisory_unlock(\(Migrator.advisoryLockKey))")
            return locked && unlocked
        }
        #expect(ownerLocks)
        let migrate = try await OndoExecutable.run(["migrate"], environment: db.environment())
        #expect(migrate.status == 0 && migrate.standardOutput.contains("is up to date"), "\(migrate)")

        // The shop inserts, a real ondo serve scores the review and writes the customer's state under its lock.
        try await harness.addCustomers(5...5)
        try await harness.addOrder(id: 5, customer: 5, daysAgo: 10)
        try await harness.addReview(id: 5, customer: 5, rating: 1, body: "배송이 너무 늦었어요")
        let server = try harness.startServer()
        try await harness.waitForAllReviewsProcessed(timeout: 60)
        try await harness.waitUntil("customer 5 has a state", timeout: 30) { connection in
            try PipelineHarness.state(of: 5, on: connection) != nil
        }
        let scored = try await db.withConnection { admin in
            try admin.queryValue(Int.self, "SELECT count(*) FROM crm.review_work WHERE status = 'completed'")
        }
        #expect(scored == 1)
        let status = try await OndoExecutable.run(["reviews", "status"], environment: db.environment(as: .app))
        #expect(status.status == 0, "\(status.standardError)")
        let served = try await server.stop()
        #expect(!served.standardError.contains("permission denied"), "\(served.standardError)")
    }

    /// A login that connects only because PUBLIC may (a program of the shop's that is in no Ondo group) is named by
    /// the dry run and keeps connecting until the operator says to lock it out; a login granted CONNECT by name, or
    /// in an Ondo group, is not named.
    @Test func hardeningNamesTheLoginsItWouldLockOutAndWaitsToBeTold() async throws {
        let db = try await TestPostgres.shared.freshDatabase("hardenlockout")
        let stranger = try await makeStranger(db)
        let named = try await makeStranger(db, prefix: "named_")
        let keeper = try await makeStranger(db, prefix: "keeper_")
        defer {
            if let admin = try? db.connect() {
                for prefix in ["stranger_", "named_", "keeper_"] {
                    _ = try? admin.execute("DROP OWNED BY \(identifier: prefix + db.name)")
                    _ = try? admin.execute("DROP ROLE IF EXISTS \(identifier: prefix + db.name)")
                }
                admin.close()
            }
        }
        try await db.withConnection { admin in
            try admin.execute("GRANT CONNECT ON DATABASE \(identifier: db.name) TO \(identifier: "named_" + db.name)")
            try admin.execute(
                "GRANT CONNECT, TEMPORARY ON DATABASE \(identifier: db.name) TO \(identifier: "keeper_" + db.name)")
        }
        /// The SQLSTATE of creating a temporary table as `configuration`'s login; nil when it could.
        func tempTableRefusal(_ configuration: PostgresConfiguration) async throws -> String? {
            try await runBlocking {
                let connection = try PostgresConnection(configuration: configuration, logger: TestPostgres.logger)
                defer { connection.close() }
                return sqlState { try connection.execute("CREATE TEMP TABLE scratch (n int)") }
            }
        }
        #expect(try await tempTableRefusal(named) == nil, "PUBLIC's TEMPORARY, before hardening")
        func connects(_ configuration: PostgresConfiguration) async throws -> Bool {
            try await runBlocking {
                postgresError {
                    try PostgresConnection(configuration: configuration, logger: TestPostgres.logger).close()
                }
                    == nil
            }
        }

        let dryRun = try await OndoExecutable.run(["roles", "harden", "--dry-run"], environment: db.environment())
        #expect(dryRun.status == 0, "\(dryRun.standardError)")
        #expect(dryRun.standardOutput.contains("would lock out login stranger_\(db.name)"), "\(dryRun.standardOutput)")
        #expect(
            !dryRun.standardOutput.contains("would lock out login named_\(db.name)"),
            "granted CONNECT by name: \(dryRun.standardOutput)")
        #expect(!dryRun.standardOutput.contains("would lock out login test_report"), "\(dryRun.standardOutput)")
        // TEMPORARY: the logins that will still connect and had it only through PUBLIC are named with the revoke.
        let temporary = try #require(
            dryRun.standardOutput.split(separator: "\n").first {
                $0.hasPrefix("would revoke TEMPORARY on database \(db.name) from PUBLIC")
            }, "\(dryRun.standardOutput)")
        let losers = try #require(temporary.firstRange(of: "logins that had it only through PUBLIC lose it: "))
        let losing = temporary[losers.upperBound...].prefix { $0 != "(" }
            .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        print("ondo tests: \(temporary)")
        #expect(losing.contains("named_\(db.name)"), "connects by name, temporary tables through PUBLIC: \(temporary)")
        #expect(losing.contains(db.userName(.report) ?? "test_report"), "in ondo_report: \(temporary)")
        #expect(!losing.contains("keeper_\(db.name)"), "granted TEMPORARY by name: \(temporary)")
        #expect(!losing.contains("stranger_\(db.name)"), "locked out, named as such: \(temporary)")

        let refused = try await OndoExecutable.run(["roles", "harden"], environment: db.environment())
        #expect(refused.status == 1, "\(refused.standardOutput)")
        // The count includes logins other tests made meanwhile: roles are cluster-wide.
        let refusal = /^ondo roles harden: \d+ login\(s\) connect only because PUBLIC may/
        #expect(refused.standardError.firstMatch(of: refusal) != nil, "\(refused.standardError)")
        #expect(refused.standardError.contains("stranger_\(db.name)"), "\(refused.standardError)")
        #expect(refused.standardError.contains("--lock-out-others"), "\(refused.standardError)")
        #expect(try await connects(stranger), "a refused run changes nothing")

        let hardened = try await OndoExecutable.run(
            ["roles", "harden", "--lock-out-others"], environment: db.environment())
        #expect(hardened.status == 0, "\(hardened.standardError)")
        #expect(hardened.standardOutput.contains("locked out login stranger_\(db.name)"), "\(hardened.standardOutput)")
        let revoked = hardened.standardOutput.split(separator: "\n").first {
            $0.hasPrefix(
                "revoked TEMPORARY on database \(db.name) from PUBLIC; logins that had it only through PUBLIC lost it: "
            )
        }
        #expect(revoked?.contains("named_\(db.name)") == true, "\(hardened.standardOutput)")
        #expect(try await !connects(stranger))
        #expect(try await connects(named))
        #expect(try await tempTableRefusal(named) == "42501", "named, and it lost TEMPORARY")
        #expect(try await tempTableRefusal(keeper) == nil, "not named: it keeps its own grant")
    }
}
