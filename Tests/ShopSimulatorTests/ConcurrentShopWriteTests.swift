import Foundation
import Postgres
import TestSupport
import Testing

/// Two writers of one shop at once: the second finds the ids free, then the first commits rows with them.
@Suite struct ConcurrentShopWriteTests {
    /// A second `ondo generate` on the same empty database ended with PostgreSQL's own words, `duplicate key value
    /// violates unique constraint "customers_pkey"`, as if the generator were broken; it now says another writer
    /// wrote those ids meanwhile and that nothing was written.
    @Test func aWriterThatCommitsTheSameIdsFirstIsNamedNotAConstraint() async throws {
        let db = try await TestPostgres.shared.freshDatabase("GenerateConcurrent")
        let first = try await ShopRowsInFlight.begin(in: db)
        let generate = try OndoProcess.start(
            ["generate", "--customers", "50", "--products", "5", "--orders", "100", "--reviews", "30"],
            environment: db.environment())
        try await first.commitOnceAnotherSessionWaits()
        let outcome = try await generate.waitForExit(seconds: 60)
        print("ondo generate beside another writer: status \(outcome.status)\n\(outcome.standardError)")
        #expect(outcome.status == 1)
        #expect(outcome.standardError.contains("another writer put rows into shop.customers"))
        #expect(outcome.standardError.contains("nothing was written"))
        #expect(!outcome.standardError.contains("duplicate key"))
        let customers = try await db.withConnection {
            try $0.queryValue(Int.self, "SELECT count(*) FROM shop.customers")
        }
        #expect(customers == 1, "only the other writer's customer")
    }
}
