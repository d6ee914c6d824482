import Foundation
import Postgres
import TestSupport
import Testing

extension PipelineTests {
    /// A customer whose recompute failed on every attempt is seen (`ondo reviews status`,
    /// `report.discarded_customer_work`) and, once the cause is gone, recomputed after `ondo states retry`
    /// instead of only at the scheduler's next re-check.
    @Suite struct DiscardedCustomerWork {
        @Test func aDiscardedRecomputeIsShownAndARetryRecomputesTheCustomer() async throws {
            let harness = try await PipelineHarness.make("discarded_customer_work")
            try await harness.addCustomers(1...3, withOrdersAndOneUnreadable: 3)
            let server = try harness.startServer()
            try await harness.waitUntil("the customer work is finished") { connection in
                try connection.queryValue(
                    Int.self, "SELECT count(*) FROM crm.customer_work WHERE status IN ('pending', 'processing')") == 0
            }

            let status = try await customerWorkStatus(harness.db)
            print("discarded customer work: reviews status customer_work \(status)")
            #expect(status["discarded"] as? Int == 1)
            #expect(status["completed"] as? Int == 2)
            #expect(status["backlog"] as? Int == 0)

            let listed = try await harness.db.withConnection(as: .report) { report in
                try report.query(
                    "SELECT customer_id, attempts, last_error, discarded_at FROM report.discarded_customer_work"
                )
                .map {
                    (
                        try $0.decode(Int64.self, "customer_id"), try $0.decode(Int.self, "attempts"),
                        try $0.decode(String?.self, "last_error") ?? "", try $0.decode(Date.self, "discarded_at")
                    )
                }
            }
            #expect(listed.map(\.0) == [3])
            #expect(listed.first?.1 == 3, "the attempts it used")
            #expect(listed.first?.2.contains("last_order_at") == true, "the decoding error: \(listed)")

            // Repaired the way a restore or an administrator's fix with triggers off would: nothing re-queues it.
            try await harness.db.withConnection { admin in
                try admin.execute("BEGIN")
                try admin.execute("SET LOCAL session_replication_role = replica")
                try admin.execute("UPDATE shop.orders SET ordered_at = now() - interval '10 days' WHERE id = 3")
                try admin.execute("COMMIT")
            }
            #expect(try await workRow(3, harness.db).status == "discarded", "the repair alone queues nothing")

            let retried = Date()
            let retry = try await OndoExecutable.run(
                ["states", "retry", "--id", "3", "--id", "1"], environment: harness.db.environment(as: .app))
            #expect(retry.status == 0, "\(retry.standardError)")
            #expect(
                retry.standardOutput.contains("re-queued 1 discarded customer recompute\n"), "\(retry.standardOutput)")
            #expect(
                retry.standardError.contains("1 of the given ids was not discarded (nothing to retry): 1"),
                "\(retry.standardError)")

            try await harness.waitUntil("customer 3 has a state", timeout: 30) { connection in
                try PipelineHarness.state(of: 3, on: connection) != nil
            }
            let recomputedAfter = Date().timeIntervalSince(retried)
            let row = try await workRow(3, harness.db)
            print(
                "discarded customer work: customer 3 \(row.status) on attempt \(row.attempts), "
                    + String(format: "%.2f s after ondo states retry began", recomputedAfter))
            #expect(row.status == "completed")
            #expect(row.attempts == 1, "a fresh attempt count: it succeeded on its first attempt after the retry")
            let after = try await customerWorkStatus(harness.db)
            #expect(after["discarded"] as? Int == 0)
            #expect(after["completed"] as? Int == 3)
            try await server.stop()
        }

        /// The `customer_work` object of `ondo reviews status --format json`, run as the app role.
        private func customerWorkStatus(_ db: TestDatabase) async throws -> [String: Any] {
            let outcome = try await OndoExecutable.run(
                ["reviews", "status", "--format", "json"], environment: db.environment(as: .app))
            #expect(outcome.status == 0, "\(outcome.standardError)")
            let json = try JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any]
            return try #require(json?["customer_work"] as? [String: Any], "\(outcome.standardOutput)")
        }
    }
}

/// `ondo states retry` as the app role, on queue rows arranged by hand: what it re-queues, what it reports.
@Suite struct StatesRetryCommandTests {
    @Test func retryRequeuesOnlyDiscardedCustomersAndNamesTheOtherIds() async throws {
        let db = try await TestPostgres.shared.freshDatabase("CLIStatesRetry")
        // Signups queue customers 1 to 3 (the shop's trigger); then 1 completed, 2 and 3 discarded.
        try await db.withConnection(as: .shop) { shop in
            try shop.execute("INSERT INTO shop.customers (id, name) VALUES (1, 'a'), (2, 'b'), (3, 'c')")
        }
        try await db.withConnection(as: .app) { app in
            try app.execute(
                "UPDATE crm.customer_work SET status = 'completed', completed_at = now(), attempts = 1 WHERE customer_id = 1"
            )
            try app.execute(
                """
                UPDATE crm.customer_work SET status = 'discarded', attempts = 5, last_error = 'it broke'
                WHERE customer_id IN (2, 3)
                """)
        }
        let environment = db.environment(as: .app)

        let some = try await OndoExecutable.run(
            ["states", "retry", "--id", "2", "--id", "1", "--id", "99", "--id", "2"], environment: environment)
        #expect(some.status == 0, "\(some.standardError)")
        #expect(some.standardOutput == "re-queued 1 discarded customer recompute\n", "\(some.standardOutput)")
        #expect(
            some.standardError.contains("2 of the given ids were not discarded (nothing to retry): 1, 99"),
            "\(some.standardError)")
        #expect(try await workRow(1, db).status == "completed")
        #expect(try await workRow(2, db) == CustomerWorkRow(status: "pending", attempts: 0, error: nil))
        #expect(
            try await workRow(3, db) == CustomerWorkRow(status: "discarded", attempts: 5, error: "it broke"),
            "not named: left alone")

        let all = try await OndoExecutable.run(["states", "retry", "--discarded"], environment: environment)
        #expect(all.status == 0, "\(all.standardError)")
        #expect(all.standardOutput == "re-queued 1 discarded customer recompute\n", "\(all.standardOutput)")
        #expect(all.standardError.isEmpty, "\(all.standardError)")
        #expect(try await workRow(3, db) == CustomerWorkRow(status: "pending", attempts: 0, error: nil))

        let neither = try await OndoExecutable.run(["states", "retry"], environment: environment)
        #expect(neither.status == 64, "a usage error")
        #expect(neither.standardError.contains("give either --discarded"), "\(neither.standardError)")
    }
}

/// A customer's `crm.customer_work` row.
private struct CustomerWorkRow: Sendable, Equatable {
    var status: String
    var attempts: Int
    var error: String?
}

/// Customer `id`'s work row, read as the administrator.
private func workRow(_ id: Int64, _ db: TestDatabase) async throws -> CustomerWorkRow {
    try await db.withConnection { connection in
        let row = try connection.query(
            "SELECT status, attempts, last_error FROM crm.customer_work WHERE customer_id = \(id)")[0]
        return CustomerWorkRow(
            status: try row.decode(String.self, "status"), attempts: try row.decode(Int.self, "attempts"),
            error: try row.decode(String?.self, "last_error"))
    }
}
