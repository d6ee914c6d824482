import Foundation
import Postgres
import TestSupport
import Testing

/// Two demos started together on one empty database (or one embedded folder) both find the shop empty and both
/// write it.
@Suite struct ConcurrentDemoShopTests {
    /// The second demo used to stop in step 2 with status 1 and PostgreSQL's `duplicate key value violates unique
    /// constraint "customers_pkey"` (two `ondo demo` started together on a fresh folder); it now uses the shop the
    /// other wrote, as a later run would.
    @Test func aDemoWhoseShopAnotherWroteMeanwhileUsesThatShop() async throws {
        let db = try await TestPostgres.shared.freshDatabase("DemoConcurrentShop")
        let other = try await ShopRowsInFlight.begin(in: db)
        let demo = try OndoProcess.start(
            ["demo", "--duration", "1", "--customers", "100", "--rate", "0.0001"], environment: db.environment())
        try await other.commitOnceAnotherSessionWaits()
        let outcome = try await demo.waitForExit(seconds: 120)
        print("ondo demo beside another shop writer: status \(outcome.status)\n\(outcome.standardError)")
        #expect(outcome.status == 0, "stderr: \(outcome.standardError)")
        #expect(
            outcome.standardOutput.contains("using the shop from an earlier run: 1 customer"),
            "\(outcome.standardOutput)")
        #expect(!outcome.standardError.contains("duplicate key"))
    }

    /// A shop with customers and no product (`ondo generate --products 0`) was kept as it was, and every live review
    /// was quarantined (unknown_product) while orders named products the shop does not have. The demo now says so
    /// before the live step.
    @Test func aShopWithoutProductsIsNamedNotPlayedAgainst() async throws {
        let db = try await TestPostgres.shared.freshDatabase("DemoShopWithoutProducts")
        try await db.withConnection { connection in
            try connection.execute(
                "INSERT INTO shop.customers (id, name, created_at) VALUES (1, '김민준', now() - interval '200 days')")
        }
        let demo = try await OndoExecutable.run(
            ["demo", "--duration", "1", "--customers", "100"], environment: db.environment())
        #expect(demo.status == 1, "stdout: \(demo.standardOutput)")
        #expect(demo.standardError.contains("has customers but no products"), "stderr: \(demo.standardError)")
        #expect(!demo.standardOutput.contains("[3] Live"), "stdout: \(demo.standardOutput)")
    }
}
