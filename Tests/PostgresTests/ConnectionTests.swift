import Foundation
import Postgres
import TestSupport
import Testing

/// Connecting, failing to connect, and what errors reveal.
@Suite struct ConnectionTests {
    @Test func failedConnectNamesTheProblemButNoSecret() async throws {
        let db = try await TestPostgres.shared.database("Connection")
        var configuration = db.configuration()
        configuration.connectionString = db.connectionString() + " password='hunter2-secret'"
        configuration.database = "no_such_database"
        let error = await connectFailure(configuration)
        #expect(error?.code == .connection)
        #expect(error?.message.contains("no_such_database") == true)
        #expect(error?.description.contains("hunter2") == false)
        #expect(error?.debugDescription.contains("hunter2") == false)
        #expect(!configuration.description.contains("hunter2"))
    }

    @Test func unparsableConnectionStringIsAConfigurationError() {
        let configuration = PostgresConfiguration(connectionString: "postgresql://user:pw@host:notaport/db?bogus=1")
        #expect(throws: PostgresError.self) { try configuration.validate() }
        #expect(!configuration.description.contains("pw"))
    }

    @Test func missingPasswordFileIsAConfigurationError() async throws {
        let db = try await TestPostgres.shared.database("Connection")
        var configuration = db.configuration()
        configuration.passwordFile = "/nonexistent/ondo-password"
        let error = await connectFailure(configuration)
        #expect(error?.code == .configuration)
        #expect(error?.message.contains("/nonexistent/ondo-password") == true)
    }

    @Test func closedConnectionRefusesWork() async throws {
        let db = try await TestPostgres.shared.database("Connection")
        let error = await #expect(throws: PostgresError.self) {
            try await db.withConnection { conn in
                conn.close()
                #expect(!conn.isConnected)
                try conn.execute("SELECT 1")
            }
        }
        #expect(error?.code == .connectionClosed)
    }

    @Test func terminatedSessionIsReportedAsConnectionClosed() async throws {
        let db = try await TestPostgres.shared.database("Connection")
        let (error, healthyBefore, healthyAfter) = try await db.withConnection { conn in
            let healthyBefore = conn.checkHealth()
            let admin = try db.connect()
            defer { admin.close() }
            try admin.execute("SELECT pg_terminate_backend(\(conn.backendPID))")
            Thread.sleep(forTimeInterval: 0.2)
            let healthyAfter = conn.checkHealth()
            var caught: PostgresError?
            do { try conn.execute("SELECT 1") } catch let error as PostgresError { caught = error }
            return (caught, healthyBefore, healthyAfter)
        }
        #expect(healthyBefore)
        #expect(!healthyAfter)
        #expect(error?.code == .connectionClosed)
        #expect(error?.isConnectionFailure == true)
    }

    @Test func connectionFailuresAreToldApartFromOtherErrors() {
        for state in ["08006", "08003", PostgresError.SQLState.adminShutdown, "57P02", "57P03"] {
            #expect(PostgresError(code: .server, message: "x", sqlState: state).isConnectionFailure, "\(state)")
        }
        for code in [PostgresError.Code.connection, .connectionClosed, .poolClosed] {
            #expect(PostgresError.isConnectionFailure(PostgresError(code: code, message: "x")), "\(code)")
        }
        for state in [PostgresError.SQLState.uniqueViolation, PostgresError.SQLState.queryCanceled, "40001"] {
            #expect(!PostgresError(code: .server, message: "x", sqlState: state).isConnectionFailure, "\(state)")
        }
        #expect(!PostgresError.isConnectionFailure(PostgresError(code: .decoding, message: "x")))
        #expect(!PostgresError.isConnectionFailure(CancellationError()))
    }

    private func connectFailure(_ configuration: PostgresConfiguration) async -> PostgresError? {
        await #expect(throws: PostgresError.self) {
            try await runBlocking {
                _ = try PostgresConnection(configuration: configuration, logger: TestPostgres.logger)
            }
        }
    }
}
