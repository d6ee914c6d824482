import Foundation
import Postgres
import TestSupport
import Testing

/// `ondo customer list` as a separate process: the row limit and its "no limit" value.
@Suite struct CustomerListCommandTests {
    @Test func limitZeroListsEveryCustomer() async throws {
        let db = try await TestPostgres.shared.freshDatabase("CLICustomerList")
        try await db.withConnection { admin in
            try admin.execute(
                """
                INSERT INTO crm.customer_state
                    (customer_id, state, churn_risk, sentiment_score, state_since, updated_at, recheck_at, cause)
                SELECT g, CASE WHEN g <= 70 THEN 'churned' ELSE 'active' END, 0.9 - g / 1000.0, 0.5, now(), now(),
                       now() + interval '1 day', 'recompute'
                FROM generate_series(1, 80) AS g
                """)
        }
        let environment = db.environment(as: .app)
        func csvRows(_ arguments: [String]) async throws -> [Substring] {
            let outcome = try await OndoExecutable.run(
                ["customer", "list", "--state", "churned", "--format", "csv"] + arguments, environment: environment)
            #expect(outcome.status == 0, "\(arguments): \(outcome.standardError)")
            return outcome.standardOutput.split(separator: "\n").dropFirst().map { $0 }
        }
        #expect(try await csvRows([]).count == 50, "the default limit")
        #expect(try await csvRows(["--limit", "5"]).count == 5)
        let all = try await csvRows(["--limit", "0"])
        #expect(all.count == 70, "--limit 0: every churned customer")
        #expect(all.first?.hasPrefix("1,") == true, "riskiest first")

        let negative = try await OndoExecutable.run(["customer", "list", "--limit", "-1"], environment: environment)
        #expect(negative.status != 0)
        #expect(negative.standardError.contains("--limit"))
        let help = try await OndoExecutable.run(["customer", "list", "--help"])
        let words = help.standardOutput.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(words.contains("0 for no limit"), "\(help.standardOutput)")
    }
}
