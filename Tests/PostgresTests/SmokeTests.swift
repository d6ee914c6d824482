import Postgres
import TestSupport
import Testing

@Suite struct SmokeTests {
    @Test func connects() async throws {
        let db = try await TestPostgres.shared.database("Smoke")
        let value = try await db.withConnection { conn in try conn.queryValue(Int.self, "SELECT \(41) + 1") }
        #expect(value == 42)
    }
}
