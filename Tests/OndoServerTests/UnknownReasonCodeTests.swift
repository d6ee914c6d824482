import Foundation
import TestSupport
import Testing

/// A stored reason whose code this build does not know — written by a newer Ondo during a rolling upgrade, when
/// several processes of different versions share the database — is shown as stored, not a failure of the whole
/// command: `customer show` and `customer list` failed with "DecodingError.dataCorrupted: … unknown reason code".
@Suite struct UnknownReasonCodeTests {
    @Test func showAndListKeepAReasonWithAnUnknownCode() async throws {
        let db = try await TestPostgres.shared.freshDatabase("CLIUnknownReason")
        let reasons =
            #"[{"code":"recent_order","days":2},{"code":"gift_card_balance","amount":12.5,"cards":2,"#
            + #""tags":["a","b"],"note":"큰 잔액","expired":false,"detail":{"k":1}}]"#
        try await db.withConnection { admin in
            try admin.execute("INSERT INTO shop.customers (id, name) VALUES (1, 'Kim')")
            try admin.execute(
                """
                INSERT INTO crm.customer_state (customer_id, state, churn_risk, sentiment_score, reasons, state_since,
                                                updated_at, recheck_at, cause)
                VALUES (1, 'active', 0.2, 0.5, \(reasons)::jsonb, now(), now(), now() + interval '1 day', 'recompute')
                """)
        }
        let environment = db.environment(as: .app)

        let json = try await OndoExecutable.run(
            ["customer", "show", "1", "--format", "json"], environment: environment)
        #expect(json.status == 0, "\(json.standardError)")
        let profile = try #require(
            try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any],
            "\(json.standardOutput)")
        let shown = profile["reasons"] as? [[String: Any]] ?? []
        #expect(shown.map { $0["code"] as? String } == ["recent_order", "gift_card_balance"], "\(json.standardOutput)")
        // Its fields as stored: numbers, texts and lists of texts kept; other values as their JSON text.
        let unknown = shown.last ?? [:]
        #expect(unknown["amount"] as? Double == 12.5)
        #expect(unknown["cards"] as? Int == 2)
        #expect(unknown["tags"] as? [String] == ["a", "b"])
        #expect(unknown["note"] as? String == "큰 잔액")
        #expect(unknown["expired"] as? String == "false")
        #expect(unknown["detail"] as? String == #"{"k":1}"#)

        let table = try await OndoExecutable.run(["customer", "show", "1"], environment: environment)
        #expect(table.status == 0, "\(table.standardError)")
        #expect(table.standardOutput.contains("gift_card_balance"), "\(table.standardOutput)")

        for format in ["table", "json", "csv"] {
            let list = try await OndoExecutable.run(["customer", "list", "--format", format], environment: environment)
            #expect(list.status == 0, "\(format): \(list.standardError)")
            #expect(list.standardOutput.contains("Kim"), "\(format): \(list.standardOutput)")
        }
    }
}
