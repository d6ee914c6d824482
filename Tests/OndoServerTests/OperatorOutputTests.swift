import CRMStore
import Foundation
import Postgres
import TestSupport
import Testing

/// `ondo customer list|show` print what customers wrote: names and review texts with commas, quotes, line breaks
/// (CRLF included) and terminal control sequences must come out as valid CSV and as inert table text.
@Suite struct OperatorOutputTests {
    /// A customer whose name holds a CRLF, and one whose name and review hold escape sequences (clear screen).
    private func shopWithAwkwardText() async throws -> TestDatabase {
        let db = try await TestPostgres.shared.freshDatabase("CLIOutput")
        try await db.withConnection { admin in
            try admin.runScript(
                """
                INSERT INTO shop.customers (id, name, created_at) VALUES
                    (1, E'Kim\\r\\nsecond line', now() - interval '200 days'),
                    (2, E'\\x1b[31mRED\\x1b[0m 홍길동', now() - interval '10 days');
                INSERT INTO shop.products (id, name) VALUES (1, 'thing');
                INSERT INTO shop.reviews (id, customer_id, product_id, rating, body) VALUES
                    (1, 2, 1, 1, E'배송이 늦어요\\r\\n\\x1b[2J\\x1b[Hcleared\\u0007 \\x7f\\u009b2J');
                INSERT INTO crm.customer_state
                    (customer_id, state, churn_risk, sentiment_score, state_since, updated_at, recheck_at, cause)
                VALUES (1, 'churned', 0.9, 0.5, now(), now(), now() + interval '1 day', 'recompute'),
                       (2, 'new', 0.1, 0.5, now(), now(), now() + interval '1 day', 'recompute');
                """)
        }
        return db
    }

    /// An order total of `'NaN'` (written before migration 0014's check; `CHECK (total >= 0)` let it through) made
    /// `ondo customer show --format json` fail as a whole, since JSON has no NaN, while the table printed it; the
    /// JSON now writes such a total as null (as it writes every absent value) and the other orders are as they were.
    @Test func customerShowJSONWritesAnOrderTotalThatIsNotANumberAsNull() async throws {
        let db = try await TestPostgres.shared.freshDatabase("CLIShowNaN")
        try await db.withConnection { admin in
            try admin.runScript(
                """
                ALTER TABLE shop.orders DROP CONSTRAINT orders_total_is_number;
                INSERT INTO shop.customers (id, name) VALUES (1, 'Kim');
                INSERT INTO shop.orders (id, customer_id, ordered_at, total, status) VALUES
                    (1, 1, now() - interval '2 days', 'NaN', 'paid'),
                    (2, 1, now() - interval '1 day', 39000, 'delivered');
                """)
        }
        let environment = db.environment(as: .app)
        let json = try await OndoExecutable.run(
            ["customer", "show", "1", "--format", "json"], environment: environment)
        #expect(json.status == 0, "\(json.standardError)")
        let profile = try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any]
        let orders = profile?["orders"] as? [[String: Any]] ?? []
        #expect(orders.map { $0["id"] as? Int } == [2, 1], "\(json.standardOutput)")
        #expect(orders.first?["total"] as? Double == 39000)
        #expect(orders.last?["id"] as? Int == 1 && orders.last?["total"] is NSNull, "\(json.standardOutput)")
        #expect(orders.last?["coupon_code"] is NSNull, "an order without a coupon has the key, null")
        // Customer 1 has no state yet: the documented keys are there, null, rather than missing.
        for key in ["state", "churn_risk", "sentiment_score", "state_since", "updated_at", "recheck_at", "email"] {
            #expect(profile?[key] is NSNull, "\(key) in \(json.standardOutput)")
        }
        let table = try await OndoExecutable.run(["customer", "show", "1"], environment: environment)
        #expect(table.status == 0, "\(table.standardError)")
        // The table printed such a total as "nan", C's spelling; "-" as for every value it does not have.
        let order = table.standardOutput.split(separator: "\n").first { $0.hasPrefix("#1 ") }
        let cells = order?.split(separator: " ", omittingEmptySubsequences: true).map(String.init) ?? []
        #expect(cells.count == 5 && cells[3] == "-" && cells[4] == "paid", "\(table.standardOutput)")
    }

    /// `ondo customer show` prints the newest 10 reviews, 10 orders and 20 transitions. A customer with 382 reviews
    /// showed ten under "recent reviews:", and its JSON held ten, with no word that there were more. The headings of a
    /// cut list say how many of how many, and the JSON has the totals.
    @Test func customerShowSaysHowManyOfHowManyItShows() async throws {
        let db = try await TestPostgres.shared.freshDatabase("CLIShowTotals")
        try await db.withConnection { admin in
            try admin.runScript(
                """
                INSERT INTO shop.customers (id, name) VALUES (1, 'Kim');
                INSERT INTO shop.products (id, name) VALUES (1, 'thing');
                INSERT INTO shop.reviews (id, customer_id, product_id, rating, body, created_at)
                SELECT g, 1, 1, 5, '좋아요 ' || g, now() - g * interval '1 hour' FROM generate_series(1, 12) AS g;
                INSERT INTO shop.orders (id, customer_id, ordered_at, total, status)
                SELECT g, 1, now() - g * interval '1 day', 1000, 'delivered' FROM generate_series(1, 3) AS g;
                """)
        }
        let environment = db.environment(as: .app)
        let table = try await OndoExecutable.run(["customer", "show", "1"], environment: environment)
        #expect(table.status == 0, "\(table.standardError)")
        let lines = table.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.contains("recent reviews (newest 10 of 12):"), "\(table.standardOutput)")
        #expect(lines.contains("recent orders:"), "all 3 shown: no count")
        #expect(lines.filter { $0.hasPrefix("#") }.count == 13, "10 reviews and 3 orders")

        let json = try await OndoExecutable.run(
            ["customer", "show", "1", "--format", "json"], environment: environment)
        #expect(json.status == 0, "\(json.standardError)")
        let profile = try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any]
        #expect((profile?["reviews"] as? [Any])?.count == 10)
        #expect(profile?["review_count"] as? Int == 12, "\(json.standardOutput)")
        #expect(profile?["order_count"] as? Int == 3)
        #expect(profile?["history_count"] as? Int == 0)
    }

    /// A signup, order or review time before year 1 (an old row, written before migration 0014) cannot be read, so
    /// the state engine fails that customer alone and names it (discarded work) — and `ondo customer show` of that
    /// very customer failed as a whole, exit status 1, "PostgreSQL decoding: cannot decode column "ordered_at"
    /// (timestamptz) as Date: not an ISO timestamp". An `'infinity'` showed as 4001-01-01 (Foundation's distant
    /// future), `'-infinity'` as 0001-01-01: dates nobody wrote. Now the customer is shown, each such time null in
    /// the JSON and in the table as PostgreSQL writes it.
    @Test func customerShowShowsACustomerWithATimeBeforeYearOne() async throws {
        let db = try await TestPostgres.shared.freshDatabase("CLIShowBC")
        try await db.withConnection { admin in
            try admin.runScript(
                """
                ALTER TABLE shop.customers DROP CONSTRAINT customers_created_at_plausible;
                ALTER TABLE shop.orders DROP CONSTRAINT orders_ordered_at_plausible;
                ALTER TABLE shop.reviews DROP CONSTRAINT reviews_created_at_plausible;
                INSERT INTO shop.customers (id, name, created_at) VALUES (1, 'Kim', '0044-03-15 BC'),
                                                                        (2, 'Lee', now() - interval '30 days');
                INSERT INTO shop.products (id, name) VALUES (1, 'thing');
                INSERT INTO shop.orders (id, customer_id, ordered_at, total, status) VALUES
                    (1, 2, '0044-03-15 BC', 1000, 'paid'),
                    (2, 2, now() - interval '1 day', 39000, 'delivered'),
                    (3, 2, 'infinity', 500, 'shipped');
                INSERT INTO shop.reviews (id, customer_id, product_id, rating, body, created_at) VALUES
                    (1, 2, 1, 2, '옛날 후기', '0044-03-15 BC'),
                    (2, 2, 1, 5, '좋아요', now() - interval '1 day'),
                    (3, 2, 1, 4, '무한 후기', '-infinity');
                """)
        }
        let environment = db.environment(as: .app)
        for id in ["1", "2"] {
            let json = try await OndoExecutable.run(
                ["customer", "show", id, "--format", "json"], environment: environment)
            #expect(json.status == 0, "customer \(id): \(json.standardError)")
            let profile = try #require(
                try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any],
                "customer \(id): \(json.standardOutput)")
            #expect(profile["name"] as? String == (id == "1" ? "Kim" : "Lee"))
            let table = try await OndoExecutable.run(["customer", "show", id], environment: environment)
            #expect(table.status == 0, "customer \(id): \(table.standardError)")
            #expect(!table.standardOutput.contains("not in shop.customers"), "\(table.standardOutput)")
        }
        let kim = try await OndoExecutable.run(["customer", "show", "1", "--format", "json"], environment: environment)
        let kimProfile = try JSONSerialization.jsonObject(with: Data(kim.standardOutput.utf8)) as? [String: Any]
        #expect(kimProfile?["signed_up_at"] is NSNull, "\(kim.standardOutput)")
        #expect(kimProfile?["marketing_consent"] as? Bool == false, "the shop's row is read: \(kim.standardOutput)")
        let kimTable = try await OndoExecutable.run(["customer", "show", "1"], environment: environment)
        #expect(
            kimTable.standardOutput.contains("signed up   0044-03-15 00:00:00+00 BC"), "\(kimTable.standardOutput)")

        let lee = try await OndoExecutable.run(["customer", "show", "2", "--format", "json"], environment: environment)
        let leeProfile = try JSONSerialization.jsonObject(with: Data(lee.standardOutput.utf8)) as? [String: Any]
        let orders = leeProfile?["orders"] as? [[String: Any]] ?? []
        #expect(
            orders.map { $0["id"] as? Int } == [3, 2, 1], "newest first, by the stored time: \(lee.standardOutput)")
        #expect(orders.map { $0["ordered_at"] is NSNull } == [true, false, true], "\(lee.standardOutput)")
        let reviews = leeProfile?["reviews"] as? [[String: Any]] ?? []
        #expect(reviews.map { $0["id"] as? Int } == [2, 1, 3], "'-infinity' is the earliest: \(lee.standardOutput)")
        #expect(reviews.map { $0["written_at"] is NSNull } == [false, true, true], "\(lee.standardOutput)")
        let leeTable = try await OndoExecutable.run(["customer", "show", "2"], environment: environment)
        let rows = leeTable.standardOutput.split(separator: "\n")
        let bc = "0044-03-15 00:00:00+00 BC"
        #expect(rows.contains { $0.hasPrefix("#1 ") && $0.contains(bc) && $0.contains("옛날 후기") }, "\(rows)")
        #expect(rows.contains { $0.hasPrefix("#1 ") && $0.contains(bc) && $0.contains("paid") }, "\(rows)")
        #expect(rows.contains { $0.hasPrefix("#3 ") && $0.contains("-infinity") && $0.contains("무한 후기") }, "\(rows)")
        #expect(rows.contains { $0.hasPrefix("#3 ") && $0.contains("infinity") && $0.contains("shipped") }, "\(rows)")
        #expect(!leeTable.standardOutput.contains("4001-") && !leeTable.standardOutput.contains("0001-01-01"))

        // A customer Ondo assessed but the shop does not have still says so.
        try await db.withConnection { admin in
            try admin.execute(
                """
                INSERT INTO crm.customer_state
                    (customer_id, state, churn_risk, sentiment_score, state_since, updated_at, recheck_at, cause)
                VALUES (3, 'churned', 0.9, 0.5, now(), now(), now() + interval '1 day', 'recompute')
                """)
        }
        let gone = try await OndoExecutable.run(["customer", "show", "3"], environment: environment)
        #expect(gone.status == 0 && gone.standardOutput.contains("(not in shop.customers)"), "\(gone.standardOutput)")
    }

    /// A table whose last column is empty in a row (an order without a coupon) ends that line at its last text, not
    /// in the padding of the column before it: trailing spaces show up in diffs, pasted tickets and `grep ' $'`.
    @Test func tableLinesEndWithoutTrailingSpaces() async throws {
        let db = try await shopWithAwkwardText()
        try await db.withConnection { admin in
            try admin.runScript(
                """
                INSERT INTO shop.orders (id, customer_id, ordered_at, total, status, coupon_code) VALUES
                    (1, 1, now() - interval '2 days', 39000, 'delivered', NULL),
                    (2, 1, now() - interval '1 day', 12000, 'paid', 'WELCOME10');
                """)
        }
        let environment = db.environment(as: .app)
        for arguments in [["customer", "show", "1"], ["customer", "list"], ["reviews", "status"]] {
            let outcome = try await OndoExecutable.run(arguments, environment: environment)
            #expect(outcome.status == 0, "\(arguments): \(outcome.standardError)")
            let padded = outcome.standardOutput.split(separator: "\n").filter { $0.hasSuffix(" ") }
            #expect(padded.isEmpty, "\(arguments): lines ending in spaces: \(padded)")
        }
        let show = try await OndoExecutable.run(["customer", "show", "1"], environment: environment)
        #expect(show.standardOutput.contains("WELCOME10"), "the order table is shown: \(show.standardOutput)")
    }

    @Test func csvQuotesFieldsWithCRLF() async throws {
        let db = try await shopWithAwkwardText()
        let outcome = try await OndoExecutable.run(
            ["customer", "list", "--format", "csv"], environment: db.environment(as: .app))
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let records = Self.parseCSV(outcome.standardOutput)
        #expect(records.count == 3, "a header and two customers: \(records)")
        #expect(records.allSatisfy { $0.count == 7 }, "\(records)")
        #expect(records.dropFirst().first?[1] == "Kim\r\nsecond line")
    }

    /// A name (or a stored reason) the shop wrote that begins with `=`, `+`, `-`, `@`, a tab or a carriage return
    /// was written as it is, so a spreadsheet opening the export ran it as a formula (`=HYPERLINK(…)` a live link).
    /// Such text now begins with an apostrophe, which the spreadsheet shows as text; the numbers Ondo writes, a
    /// negative customer id among them, stay numbers, and other text is as it was.
    @Test func csvWritesTextThatWouldBeAFormulaAsText() async throws {
        let db = try await TestPostgres.shared.freshDatabase("CLIListFormula")
        let names: [Int64: String] = [
            1: #"=HYPERLINK("http://example.com/x","click")"#, 2: "@SUM(A1:A9)", 3: "+82 10 1234", 4: "-2+3",
            5: "\tTab", 6: "\rReturn", 7: "Kim = Lee", -5: "홍길동",
        ]
        try await db.withConnection { admin in
            for (id, name) in names {
                try admin.execute("INSERT INTO shop.customers (id, name) VALUES (\(id), \(name))")
                // Customer 7's reason is one a newer Ondo wrote, shown with its stored fields.
                let reasons = id == 7 ? #"[{"code":"=cmd|' /C calc'!A0"}]"# : #"[{"code":"recent_order","days":2}]"#
                try admin.execute(
                    """
                    INSERT INTO crm.customer_state (customer_id, state, churn_risk, sentiment_score, reasons,
                                                    state_since, updated_at, recheck_at, cause)
                    VALUES (\(id), 'active', \(0.5 + Double(id) / 100), 0.5, \(reasons)::jsonb, now(), now(),
                            now() + interval '1 day', 'recompute')
                    """)
            }
        }
        let outcome = try await OndoExecutable.run(
            ["customer", "list", "--format", "csv"], environment: db.environment(as: .app))
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let records = Self.parseCSV(outcome.standardOutput).dropFirst()
        let byId = Dictionary(uniqueKeysWithValues: records.map { ($0[0], $0) })
        #expect(byId.count == names.count, "\(outcome.standardOutput)")
        for (id, name) in names {
            let expected = id <= 6 && id > 0 ? "'" + name : name
            #expect(byId["\(id)"]?[1] == expected, "customer \(id): \(byId["\(id)"] ?? [])")
        }
        #expect(byId["-5"]?[3] == "0.4500", "a negative id and the risk are written as numbers")
        #expect(byId["7"]?[6] == "'=cmd|' /C calc'!A0", "\(byId["7"] ?? [])")
        #expect(byId["1"]?[6] == "last order 2 days ago", "\(byId["1"] ?? [])")
    }

    @Test func tablesCarryNoControlCharacters() async throws {
        let db = try await shopWithAwkwardText()
        for (arguments, text) in [
            (["customer", "list"], "홍길동"), (["customer", "show", "2"], "cleared"), (["customer", "show", "1"], "Kim"),
        ] {
            let outcome = try await OndoExecutable.run(arguments, environment: db.environment(as: .app))
            #expect(outcome.status == 0, "\(arguments): \(outcome.standardError)")
            let controls = outcome.standardOutput.unicodeScalars.filter {
                $0.properties.generalCategory == .control && $0 != "\n"
            }
            #expect(controls.isEmpty, "\(arguments): \(controls.map { String($0.value, radix: 16) })")
            #expect(outcome.standardOutput.contains(text), "\(arguments): the text around controls stays")
        }
    }

    /// Emoji that terminals draw two columns wide (Emoji_Presentation) outside the few blocks the table counted as
    /// wide (🚀 and 🛒 of U+1F680…, ☕ and ⭐ among the symbols, 🫶 of U+1FA70…) were counted one column each: a name
    /// holding them pushed the rest of its row out of line. Each name here is four columns wide in a terminal, so
    /// each is followed by the same padding.
    @Test func customerListAlignsNamesWithEmoji() async throws {
        let db = try await TestPostgres.shared.freshDatabase("CLIListEmoji")
        let names = ["abcd", "김수", "🚀🛒", "☕⭐", "🫶🫶", "🙂🙂"]
        try await db.withConnection { admin in
            for (index, name) in names.enumerated() {
                try admin.execute("INSERT INTO shop.customers (id, name) VALUES (\(index + 1), \(name))")
                try admin.execute(
                    """
                    INSERT INTO crm.customer_state
                        (customer_id, state, churn_risk, sentiment_score, state_since, updated_at, recheck_at, cause)
                    VALUES (\(index + 1), 'active', \(0.9 - Double(index) / 100), 0.5, now(), now(),
                            now() + interval '1 day', 'recompute')
                    """)
            }
        }
        let outcome = try await OndoExecutable.run(["customer", "list"], environment: db.environment(as: .app))
        #expect(outcome.status == 0, "\(outcome.standardError)")
        // "1   abcd    active  0.90 …": what lies between each name and the state.
        let rows = outcome.standardOutput.split(separator: "\n").dropFirst(2).map(String.init)
        #expect(rows.count == names.count, "\(outcome.standardOutput)")
        let padding = zip(rows, names).map { row, name in
            row.range(of: name).flatMap { found in row[found.upperBound...].range(of: "active") }
                .map { range in row.distance(from: row.range(of: name)!.upperBound, to: range.lowerBound) }
        }
        #expect(Set(padding).count == 1 && padding.first! != nil, "\(padding)\n\(outcome.standardOutput)")
    }

    /// An empty `ondo customer list --format json` printed `[`, a blank line and `]` (Foundation's pretty printer on
    /// Linux); it prints `[]`, as it prints every other empty list.
    @Test func anEmptyJSONListIsOneLine() async throws {
        let db = try await TestPostgres.shared.freshDatabase("CLIListEmptyJSON")
        let json = try await OndoExecutable.run(
            ["customer", "list", "--format", "json"], environment: db.environment(as: .app))
        #expect(json.status == 0, "\(json.standardError)")
        #expect(json.standardOutput == "[]\n", "\(json.standardOutput)")
    }

    /// On a shop whose pipeline has not run yet, `ondo customer list` printed an empty table and "0 customers", as
    /// for a shop without customers. It says on standard error why the list is empty and what assesses them; not on
    /// a shop without customers, nor once one customer is assessed; and JSON and CSV stay as they were on stdout.
    @Test func customerListSaysWhenNoCustomerIsAssessedYet() async throws {
        let hint = "no customer of the shop is assessed yet"
        let db = try await TestPostgres.shared.freshDatabase("CLIListUnassessed")
        let environment = db.environment(as: .app)
        let emptyShop = try await OndoExecutable.run(["customer", "list"], environment: environment)
        #expect(emptyShop.status == 0 && !emptyShop.standardError.contains(hint), "\(emptyShop.standardError)")

        try await db.withConnection(as: .shop) { shop in
            try shop.execute("INSERT INTO shop.customers (id, name) VALUES (1, '김수빈'), (2, '이서준')")
        }
        let table = try await OndoExecutable.run(["customer", "list"], environment: environment)
        #expect(table.status == 0 && table.standardError.contains(hint), "\(table.standardError)")
        let json = try await OndoExecutable.run(["customer", "list", "--format", "json"], environment: environment)
        #expect(json.status == 0 && json.standardError.contains(hint), "\(json.standardError)")
        let parsed = try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [Any]
        #expect(parsed?.isEmpty == true, "\(json.standardOutput)")
        let csv = try await OndoExecutable.run(["customer", "list", "--format", "csv"], environment: environment)
        #expect(csv.standardOutput == "id,name,state,churn_risk,sentiment_score,state_since,reason\n")

        try await db.withConnection { admin in
            try admin.execute(
                """
                INSERT INTO crm.customer_state
                    (customer_id, state, churn_risk, sentiment_score, state_since, updated_at, recheck_at, cause)
                VALUES (1, 'new', 0.1, 0.5, now(), now(), now() + interval '1 day', 'recompute')
                """)
        }
        let filtered = try await OndoExecutable.run(
            ["customer", "list", "--state", "churned"], environment: environment)
        #expect(filtered.status == 0 && !filtered.standardError.contains(hint), "\(filtered.standardError)")
    }

    /// RFC 4180 records (quoted fields may hold commas, quotes and line breaks; records end with LF or CRLF).
    static func parseCSV(_ text: String) -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var quoted = false
        var scalars = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        while let scalar = pending ?? scalars.next() {
            pending = nil
            if quoted {
                if scalar == "\"" {
                    let next = scalars.next()
                    if next == "\"" { field.unicodeScalars.append("\"") } else { quoted = false; pending = next }
                } else {
                    field.unicodeScalars.append(scalar)
                }
            } else if scalar == "\"" && field.isEmpty {
                quoted = true
            } else if scalar == "," {
                record.append(field)
                field = ""
            } else if scalar == "\n" || scalar == "\r" {
                if scalar == "\r" {
                    let next = scalars.next()
                    if next != "\n" { pending = next }
                }
                record.append(field)
                records.append(record)
                (record, field) = ([], "")
            } else {
                field.unicodeScalars.append(scalar)
            }
        }
        if !field.isEmpty || !record.isEmpty { records.append(record + [field]) }
        return records
    }
}

/// The operator commands on a database `ondo migrate` never ran on.
@Suite struct OperatorCommandsBeforeMigrateTests {
    @Test func everyCommandSaysToRunMigrate() async throws {
        let db = try await TestPostgres.shared.emptyDatabase("CLIBeforeMigrate")
        for arguments in [
            ["customer", "show", "1"], ["customer", "list"], ["reviews", "status"],
            ["reviews", "retry", "--discarded"],
            ["states", "recompute"], ["states", "retry", "--discarded"],
        ] {
            let outcome = try await OndoExecutable.run(arguments, environment: db.environment())
            #expect(outcome.status == 1, "\(arguments)")
            #expect(
                outcome.standardError.contains("run `ondo migrate` first"), "\(arguments): \(outcome.standardError)")
            // The sentence first; PostgreSQL's own message may follow for the detail of a partly migrated database.
            #expect(
                outcome.standardError.hasPrefix(
                    "ondo \(arguments[0]) \(arguments[1]): the database has no Ondo schema"),
                "\(arguments): \(outcome.standardError)")
        }
    }
}

/// An empty `--database-url` is a mistake (an unset variable in a script), not a request for libpq's defaults.
@Suite struct EmptyDatabaseURLTests {
    @Test func anEmptyDatabaseURLIsRefused() async throws {
        for value in ["", "  "] {
            let outcome = try await OndoExecutable.run(["reviews", "status", "--database-url", value])
            #expect(outcome.status != 0)
            #expect(outcome.standardError.contains("--database-url is empty"), "\(outcome.standardError)")
        }
    }
}

/// The operator commands on a database whose schema is not the one this build was written for: they refuse with
/// the sentence `ondo serve` gives (``SchemaVersion``), before reading or writing anything.
@Suite struct OperatorCommandsOnAnotherSchemaTests {
    static let commands = [
        ["customer", "show", "1"], ["customer", "list"], ["reviews", "status"], ["reviews", "retry", "--discarded"],
        ["states", "recompute"], ["states", "retry", "--discarded"],
        ["sentiment", "train", "--from-database", "--out", "/tmp/ondo-schema-test-never-written.model"],
    ]

    /// Runs each command on `db` and expects exit status 1 with an error that, after the command's name, starts
    /// with `sentence`.
    private func expectEveryCommandRefused(on db: TestDatabase, with sentence: String) async throws {
        for arguments in Self.commands {
            let outcome = try await OndoExecutable.run(arguments, environment: db.environment(as: .app))
            #expect(outcome.status == 1, "\(arguments): \(outcome.standardError)")
            // The error is the last line (`sentiment train` names its base model first).
            let error = outcome.standardError.split(separator: "\n").last.map(String.init) ?? ""
            #expect(
                error.hasPrefix("ondo \(arguments[0]) \(arguments[1]): " + sentence),
                "\(arguments): \(outcome.standardError)")
        }
    }

    @Test func aDatabaseAMigrationBehindIsRefused() async throws {
        let db = try await TestPostgres.shared.freshDatabase("CLIOlderSchema")
        try await db.withConnection { admin in
            try admin.execute(
                "DELETE FROM ondo_meta.schema_migrations WHERE version = \(SchemaVersion.expected)")
        }
        try await expectEveryCommandRefused(
            on: db,
            with: "the database's schema is at migration \(SchemaVersion.expected - 1) and this ondo needs "
                + "\(SchemaVersion.expected): run `ondo migrate` first")
    }

    /// A report login given to an operator command is told the role it needs (it used to get PostgreSQL's bare
    /// "permission denied for schema ondo_meta").
    @Test func aLoginOutsideOndoAppIsToldWhichRoleItNeeds() async throws {
        let db = try await TestPostgres.shared.database("CLIWrongRole")
        for arguments in [["reviews", "status"], ["customer", "list"]] {
            let outcome = try await OndoExecutable.run(arguments, environment: db.environment(as: .report))
            #expect(outcome.status == 1, "\(arguments): \(outcome.standardError)")
            #expect(
                outcome.standardError.contains(
                    "ondo \(arguments[0]) \(arguments[1]): the login \(db.userName(.report) ?? "") may not read "
                        + "Ondo's schema (it is not in role ondo_app)"),
                "\(arguments): \(outcome.standardError)")
        }
    }

    @Test func aDatabaseANewerOndoMigratedIsRefused() async throws {
        let db = try await TestPostgres.shared.freshDatabase("CLINewerSchema")
        try await db.withConnection { admin in
            try admin.execute(
                """
                INSERT INTO ondo_meta.schema_migrations (version, name, checksum, execution_ms)
                VALUES (\(SchemaVersion.expected + 1), 'from_the_future.sql', 'x', 0)
                """)
        }
        try await expectEveryCommandRefused(on: db, with: "the database was migrated by a newer Ondo")
    }
}

/// `ondo reviews status`: the JSON keys scripts rely on, with counts that match the queue.
@Suite struct ReviewsStatusOutputTests {
    @Test func jsonHasTheDocumentedKeysAndCountsDeferredCalls() async throws {
        let db = try await TestPostgres.shared.freshDatabase("CLIReviewsStatus")
        try await db.withConnection(as: .shop) { shop in
            try shop.execute(
                """
                INSERT INTO shop.reviews (id, customer_id, product_id, rating, body)
                VALUES (1, 1, 1, 5, '좋아요'), (2, 1, 1, 1, '별로'), (3, 1, 1, 4, '괜찮아요')
                """)
            // A shop transaction at REPEATABLE READ defers its queue call (migration 0018).
            try shop.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
            try shop.execute(
                "INSERT INTO shop.reviews (id, customer_id, product_id, rating, body) VALUES (4, 1, 1, 5, '최고')")
            try shop.execute("COMMIT")
        }
        try await db.withConnection(as: .app) { app in
            try app.execute("UPDATE crm.review_work SET status = 'completed', completed_at = now() WHERE review_id = 1")
            try app.execute("UPDATE crm.review_work SET status = 'discarded', last_error = 'test' WHERE review_id = 2")
        }
        let outcome = try await OndoExecutable.run(
            ["reviews", "status", "--format", "json"], environment: db.environment(as: .app))
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any])
        for key in ["backlog", "processing", "completed", "discarded", "oldest_unprocessed_seconds", "deferred_calls"] {
            #expect(json[key] != nil, "key \(key) in \(json)")
        }
        #expect(json["backlog"] as? Int == 1)
        #expect(json["processing"] as? Int == 0)
        #expect(json["completed"] as? Int == 1)
        #expect(json["discarded"] as? Int == 1)
        #expect((json["oldest_unprocessed_seconds"] as? Double ?? -1) >= 0)
        #expect(json["deferred_calls"] as? Int == 1)

        let table = try await OndoExecutable.run(["reviews", "status"], environment: db.environment(as: .app))
        #expect(table.status == 0, "\(table.standardError)")
        #expect(table.standardOutput.contains("deferred calls        1"), "\(table.standardOutput)")
    }

    /// The table grouped no figure ("completed             100010" beside "wrote 100,000 rows" elsewhere) and gave
    /// an empty queue's oldest row an age, "0.0 s", as if one had just come; it now groups them and says none waits.
    @Test func theTableGroupsItsCountsAndGivesAnEmptyQueueNoAge() async throws {
        let db = try await TestPostgres.shared.freshDatabase("CLIReviewsStatusTable")
        try await db.withConnection(as: .shop) { shop in
            try shop.execute(
                """
                INSERT INTO shop.reviews (id, customer_id, product_id, rating, body)
                SELECT g, 1, 1, 5, '좋아요' FROM generate_series(1, 1200) AS g
                """)
        }
        try await db.withConnection(as: .app) { app in
            try app.execute("UPDATE crm.review_work SET status = 'completed', completed_at = now()")
        }
        let table = try await OndoExecutable.run(["reviews", "status"], environment: db.environment(as: .app))
        #expect(table.status == 0, "\(table.standardError)")
        print("ondo tests: reviews status, 1,200 completed:\n\(table.standardOutput)")
        let lines = table.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.contains("completed             1,200"), "\(table.standardOutput)")
        #expect(
            lines.contains { $0.hasPrefix("throughput            1,200 in the last minute") }, "\(table.standardOutput)"
        )
        #expect(lines.contains("oldest unprocessed    -  (nothing queued)"), "\(table.standardOutput)")
        #expect(lines.contains("  oldest unprocessed  -  (nothing queued)"), "\(table.standardOutput)")
    }

    /// The customer-work queue has its own counts under `customer_work`; the top-level keys stay the review queue's.
    @Test func jsonNestsTheCustomerWorkQueueUnderItsOwnKey() async throws {
        let db = try await TestPostgres.shared.freshDatabase("CLICustomerWorkStatus")
        // Signups queue customers 1 to 5 (the shop's trigger); one review queues review work only.
        try await db.withConnection(as: .shop) { shop in
            try shop.execute("INSERT INTO shop.customers (id, name) SELECT g, 'c' || g FROM generate_series(1, 5) AS g")
            try shop.execute(
                "INSERT INTO shop.reviews (id, customer_id, product_id, rating, body) VALUES (1, 1, 1, 5, '좋아요')")
        }
        try await db.withConnection(as: .app) { app in
            try app.execute(
                "UPDATE crm.customer_work SET status = 'completed', completed_at = now() WHERE customer_id IN (1, 2)")
            try app.execute(
                """
                UPDATE crm.customer_work SET status = 'processing', lease_token = gen_random_uuid(),
                    lease_expires_at = now() + interval '1 minute', enqueued_at = now() - interval '90 seconds'
                WHERE customer_id = 3
                """)
            try app.execute(
                "UPDATE crm.customer_work SET status = 'discarded', last_error = 'it broke' WHERE customer_id = 4")
        }
        let outcome = try await OndoExecutable.run(
            ["reviews", "status", "--format", "json"], environment: db.environment(as: .app))
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any])
        #expect(json["backlog"] as? Int == 1, "the one review")
        #expect(json["completed"] as? Int == 0)
        #expect(json["discarded"] as? Int == 0)
        let customers = try #require(json["customer_work"] as? [String: Any], "\(json)")
        #expect(customers["backlog"] as? Int == 2, "\(customers)")
        #expect(customers["pending"] as? Int == 1)
        #expect(customers["processing"] as? Int == 1)
        #expect(customers["completed"] as? Int == 2)
        #expect(customers["discarded"] as? Int == 1)
        let oldest = customers["oldest_unprocessed_seconds"] as? Double ?? -1
        #expect(oldest >= 90 && oldest < 3_600, "the processing row queued 90 s ago: \(oldest)")

        let table = try await OndoExecutable.run(["reviews", "status"], environment: db.environment(as: .app))
        #expect(table.status == 0, "\(table.standardError)")
        print("ondo tests: reviews status with customer work:\n\(table.standardOutput)")
        let lines = table.standardOutput.split(separator: "\n").map(String.init)
        let section = lines.drop { !$0.hasPrefix("customer work") }
        #expect(section.contains("  backlog             2  (1 pending, 1 processing)"), "\(table.standardOutput)")
        #expect(
            section.contains(
                "  discarded           1  (see report.discarded_customer_work; ondo states retry --discarded)"),
            "\(table.standardOutput)")
    }
}
