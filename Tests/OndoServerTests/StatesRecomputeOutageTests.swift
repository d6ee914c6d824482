import Foundation
import OndoServer
import Postgres
import TestSupport
import Testing

/// `ondo states recompute --all` on a database that fails for a few seconds between two chunks of 1,000 customers
/// (``DatabaseOutage``): it used to end at the first failed connection; it now waits the failure out
/// (``FailurePatience``) and recomputes every customer.
@Suite struct StatesRecomputeOutageTests {
    @Test func aDatabaseThatFailsForAFewSecondsIsWaitedOut() async throws {
        let db = try await TestPostgres.shared.freshDatabase("recompute_outage")
        try await db.withConnection(as: .shop) { shop in
            try shop.execute(
                "INSERT INTO shop.customers (id, name) SELECT id, '고객 ' || id FROM generate_series(1, 1500) AS id")
        }
        let configuration = try OndoConfiguration.load(environment: db.environment(as: .app))
        let operations = try Operations(configuration: configuration, logger: TestPostgres.logger)
        let appUser = try #require(db.userName(.app))

        let outage = LockedBox<String?>(nil)
        let started = ContinuousClock.now
        let outcome = await DatabaseOutage.outcome(within: 90) {
            try await operations.recomputeStates(all: true) { _ in
                guard outage.mutate({ $0 }) == nil else { return }
                outage.mutate { $0 = DatabaseOutage.begin(db, user: appUser) }
            }
        }
        await operations.close()
        let seconds = started.duration(to: .now) / .seconds(1)
        let assessed = try await db.withConnection { admin in
            try admin.queryValue(Int.self, "SELECT count(*) FROM crm.customer_state")
        }
        print(
            "recompute with a 3 s outage: \(outcome.map { "\($0)" } ?? "still running after 90 s") after \(seconds) s; "
                + "outage \(outage.mutate { $0 } ?? "never began"); \(assessed) customers assessed")
        #expect(outage.mutate { $0 } == "began")
        switch outcome {
        case .success(let report)?:
            #expect(report.recomputed == 1500)
            #expect(report.failed.isEmpty)
        case .failure(let error)?: Issue.record("the recompute failed: \(error)")
        case nil: Issue.record("the recompute was still running after 90 s")
        }
        #expect(assessed == 1500)
    }
}
