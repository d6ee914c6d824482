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

    /// Churn risk is stored as `real`, and `--min-risk` was compared with it as a double: a risk stored as 0.7 is
    /// 0.699999988… as a double, so `--min-risk 0.7` left out the customers the list itself shows at 0.70 (and
    /// 0.7000 in CSV). The threshold is now compared at the stored precision.
    @Test func minRiskKeepsCustomersExactlyAtTheThreshold() async throws {
        let db = try await TestPostgres.shared.freshDatabase("CLICustomerMinRisk")
        try await db.withConnection { admin in
            try admin.execute(
                """
                INSERT INTO crm.customer_state
                    (customer_id, state, churn_risk, sentiment_score, state_since, updated_at, recheck_at, cause)
                SELECT id, 'at_risk', risk, 0.5, now(), now(), now() + interval '1 day', 'recompute'
                FROM (VALUES (1, 0.71::real), (2, 0.7::real), (3, 0.69::real), (4, 0.3::real)) AS t (id, risk)
                """)
        }
        let environment = db.environment(as: .app)
        for threshold in ["0.7", "0.3"] {
            let outcome = try await OndoExecutable.run(
                ["customer", "list", "--min-risk", threshold, "--format", "csv"], environment: environment)
            #expect(outcome.status == 0, "\(outcome.standardError)")
            let rows = outcome.standardOutput.split(separator: "\n").dropFirst()
            let expected = threshold == "0.7" ? ["1", "2"] : ["1", "2", "3", "4"]
            #expect(
                rows.map { String($0.prefix(while: { $0 != "," })) } == expected, "--min-risk \(threshold): \(rows)")
        }
    }

    /// `--format json` writes a long list 1,000 customers at a time (all at once it held the text four times over:
    /// 745 MB for 200,000 customers, 164 MB now); across the seams it is the one pretty-printed array it was.
    @Test func aLongJSONListIsOneArrayAcrossItsBatches() async throws {
        let db = try await TestPostgres.shared.freshDatabase("CLICustomerListJSONBatches")
        try await db.withConnection { admin in
            try admin.execute(
                """
                INSERT INTO crm.customer_state
                    (customer_id, state, churn_risk, sentiment_score, state_since, updated_at, recheck_at, cause,
                     reasons)
                SELECT g, 'active', 0.5, 0.5, now(), now(), now() + interval '1 day', 'recompute', '[]'
                FROM generate_series(1, 2001) AS g
                """)
        }
        let outcome = try await OndoExecutable.run(
            ["customer", "list", "--limit", "0", "--format", "json"], environment: db.environment(as: .app))
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let parsed = try JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [[String: Any]]
        #expect(parsed?.map { $0["id"] as? Int } == (1...2001).map { $0 }, "every customer once, in order")
        let lines = outcome.standardOutput.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first == "[" && lines.suffix(3) == ["  }", "]", ""], "\(lines.suffix(3))")
        #expect(lines.filter { $0 == "  {" }.count == 2001)
        #expect(lines.filter { $0 == "  }," }.count == 2000)
        #expect(lines.filter { $0 == "    \"reasons\" : []," }.count == 2001, "empty lists compacted in every batch")
    }

    /// `ondo customer list --limit 0 | head -1`: the reader goes after one line, and the command ends by SIGPIPE
    /// (status 141 in a shell) without a word on standard error, in every format, now that it writes 64 KB at a time
    /// rather than a line at a time.
    @Test func aClosedPipeEndsTheListQuietly() async throws {
        let db = try await TestPostgres.shared.freshDatabase("CLICustomerListBrokenPipe")
        try await db.withConnection { admin in
            try admin.execute(
                """
                INSERT INTO shop.customers (id, name, email, created_at)
                SELECT g, 'customer number ' || g, 'c' || g || '@example.com', now() FROM generate_series(1, 6000) AS g
                """)
            try admin.execute(
                """
                INSERT INTO crm.customer_state
                    (customer_id, state, churn_risk, sentiment_score, state_since, updated_at, recheck_at, cause)
                SELECT g, 'active', 0.5, 0.5, now(), now(), now() + interval '1 day', 'recompute'
                FROM generate_series(1, 6000) AS g
                """)
        }
        let executable = try OndoExecutable.path
        for format in ["csv", "table", "json"] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            process.arguments = [
                "-c", #""$0" customer list --limit 0 --format "$1" 2>"$2" | head -1; echo "${PIPESTATUS[0]}""#,
                executable, format, NSTemporaryDirectory() + "h35-broken-pipe-\(format).err",
            ]
            var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("ONDO_") }
            environment.merge(db.environment(as: .app)) { $1 }
            process.environment = environment
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            let errorFile = NSTemporaryDirectory() + "h35-broken-pipe-\(format).err"
            let errors = (try? String(contentsOfFile: errorFile, encoding: .utf8)) ?? "(no file)"
            try? FileManager.default.removeItem(atPath: errorFile)
            let lines = String(decoding: data, as: UTF8.self).split(separator: "\n")
            #expect(lines.count == 2, "\(format): one line, then the status: \(lines.prefix(3))")
            #expect(lines.last == "141", "\(format): ended by SIGPIPE: \(lines.last ?? "")")
            #expect(errors.isEmpty, "\(format): nothing on standard error: \(errors)")
        }
    }
}
