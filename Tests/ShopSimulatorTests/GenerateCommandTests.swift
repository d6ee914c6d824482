import CRMStore
import Foundation
import Postgres
import TestSupport
import Testing

/// `ondo generate` against real databases: determinism, counts, referential sanity, the shop role, collisions.
@Suite(.serialized) struct GenerateCommandTests {
    static let small = [
        "--customers", "300", "--products", "30", "--orders", "1200", "--reviews", "500", "--now", "2026-01-01",
    ]

    static func generate(_ arguments: [String], into db: TestDatabase, as role: TestRole = .admin) async throws
        -> OndoExecutable.Outcome
    {
        try await OndoExecutable.run(["generate"] + arguments, environment: db.environment(as: role))
    }

    /// The help names the connection in the order it is chosen (a --database-url replaces both URLs) and the
    /// shop's group role by its name. It said "ONDO_ADMIN_DATABASE_URL, else ONDO_DATABASE_URL or --database-url"
    /// and "a login in role shop"; then "must be allowed to become ondo_shop: the administrator's (…)", which read
    /// as a garbled sentence.
    @Test func helpNamesTheConnectionInTheOrderItIsChosen() async throws {
        let help = try await OndoExecutable.run(["generate", "--help"])
        #expect(help.status == 0)
        let text = help.standardOutput.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(text.contains("--database-url names (else ONDO_ADMIN_DATABASE_URL, else ONDO_DATABASE_URL)"))
        #expect(text.contains("a login in role ondo_shop"))
    }

    /// The progress bar wrote "orders      [########################] 1200/1200 rows  5021/s", the only counts of
    /// `ondo generate` not grouped (its table below them read 1,200).
    @Test func theProgressBarGroupsItsCounts() async throws {
        let db = try await TestPostgres.shared.freshDatabase("GenerateProgressGrouped")
        let outcome = try await Self.generate(["--seed", "7"] + Self.small, into: db)
        #expect(outcome.status == 0, "stderr: \(outcome.standardError)")
        let orders = outcome.standardError.split(whereSeparator: { $0 == "\n" || $0 == "\r" })
            .filter { $0.hasPrefix("orders ") }
        #expect(orders.last?.contains("] 1,200/1,200 rows") == true, "\(outcome.standardError)")
    }

    @Test func sameSeedGivesIdenticalTablesAndAnotherSeedDoesNot() async throws {
        let first = try await TestPostgres.shared.freshDatabase("GenerateSeed7a")
        let second = try await TestPostgres.shared.freshDatabase("GenerateSeed7b")
        let other = try await TestPostgres.shared.freshDatabase("GenerateSeed8")
        for (db, seed) in [(first, "7"), (second, "7"), (other, "8")] {
            let outcome = try await Self.generate(["--seed", seed] + Self.small, into: db)
            #expect(outcome.status == 0, "stderr: \(outcome.standardError)")
        }
        let a = try await ShopChecksums.of(first)
        let b = try await ShopChecksums.of(second)
        let c = try await ShopChecksums.of(other)
        print("ondo generate --seed 7 (twice) and --seed 8:\n  \(a)\n  \(b)\n  \(c)")
        #expect(a == b)
        for table in ShopChecksums.tables {
            #expect(a.digests[table] != c.digests[table], "seed 8 wrote the same \(table) as seed 7")
        }
        #expect(a.counts["customers"] == 300)
        #expect(a.counts["products"] == 30)
        #expect(a.counts["orders"] == 1200)
        #expect(a.counts["reviews"] == 500)
        #expect((a.counts["order_items"] ?? 0) >= 1200)
    }

    @Test func writtenRowsReferToEachOtherAndEveryReviewIsQueued() async throws {
        let db = try await TestPostgres.shared.freshDatabase("GenerateSanity")
        let outcome = try await Self.generate(["--seed", "11"] + Self.small, into: db, as: .shop)
        #expect(outcome.status == 0, "stderr: \(outcome.standardError)")
        #expect(outcome.standardOutput.contains("shop.order_items"))
        let problems = try await db.withConnection { connection in
            try [
                "orders of unknown customers": """
                SELECT count(*) FROM shop.orders o WHERE NOT EXISTS (SELECT 1 FROM shop.customers c WHERE c.id = o.customer_id)
                """,
                "orders placed before signup": """
                SELECT count(*) FROM shop.orders o JOIN shop.customers c ON c.id = o.customer_id WHERE o.ordered_at < c.created_at
                """,
                "items of unknown orders or products": """
                SELECT count(*) FROM shop.order_items i
                WHERE NOT EXISTS (SELECT 1 FROM shop.orders o WHERE o.id = i.order_id)
                   OR NOT EXISTS (SELECT 1 FROM shop.products p WHERE p.id = i.product_id)
                """,
                "orders without items": """
                SELECT count(*) FROM shop.orders o WHERE NOT EXISTS (SELECT 1 FROM shop.order_items i WHERE i.order_id = o.id)
                """,
                "reviews of unknown customers or products": """
                SELECT count(*) FROM shop.reviews r
                WHERE NOT EXISTS (SELECT 1 FROM shop.customers c WHERE c.id = r.customer_id)
                   OR NOT EXISTS (SELECT 1 FROM shop.products p WHERE p.id = r.product_id)
                """,
                "reviews not by the order's customer or of a product not in it": """
                SELECT count(*) FROM shop.reviews r JOIN shop.orders o ON o.id = r.order_id
                WHERE o.customer_id <> r.customer_id
                   OR NOT EXISTS (SELECT 1 FROM shop.order_items i WHERE i.order_id = o.id AND i.product_id = r.product_id)
                """,
                "reviews without a work row": """
                SELECT count(*) FROM shop.reviews r WHERE NOT EXISTS (SELECT 1 FROM crm.review_work w WHERE w.review_id = r.id)
                """,
                "customers with orders but no customer work": """
                SELECT count(DISTINCT o.customer_id) FROM shop.orders o
                WHERE NOT EXISTS (SELECT 1 FROM crm.customer_work w WHERE w.customer_id = o.customer_id)
                """,
            ].mapValues { try connection.queryValue(Int.self, PostgresQuery(unsafeSQL: $0)) }
        }
        for (problem, count) in problems.sorted(by: { $0.key < $1.key }) {
            #expect(count == 0, "\(count) \(problem)")
        }
    }

    @Test func refusesToOverwriteAndAppendsAfterTheHighestIds() async throws {
        let db = try await TestPostgres.shared.freshDatabase("GenerateAppend")
        #expect(try await Self.generate(Self.small, into: db).status == 0)
        let before = try await ShopChecksums.of(db)

        let again = try await Self.generate(Self.small, into: db)
        #expect(again.status == 1)
        #expect(again.standardError.contains("shop.customers (ids 1…300)"), "stderr: \(again.standardError)")
        #expect(again.standardError.contains("--append"))
        #expect(try await ShopChecksums.of(db) == before, "a refused write changed the tables")

        let appended = try await Self.generate(["--append", "--seed", "9"] + Self.small, into: db)
        #expect(appended.status == 0, "stderr: \(appended.standardError)")
        let after = try await ShopChecksums.of(db)
        for table in ShopChecksums.tables {
            #expect(after.counts[table] == 2 * (before.counts[table] ?? 0) || table == "order_items")
        }
        let orphans = try await db.withConnection { connection in
            try connection.queryValue(
                Int.self,
                """
                SELECT count(*) FROM shop.reviews r JOIN shop.orders o ON o.id = r.order_id
                WHERE r.id > 500 AND (o.id <= 1200 OR o.customer_id <> r.customer_id OR r.customer_id <= 300)
                """)
        }
        #expect(orphans == 0, "appended reviews must refer to the appended orders and customers")
    }

    /// The shop may number its own rows: after a customer id near the largest `bigint`, `--append` crashed with an
    /// arithmetic overflow (status 132 and a backtrace); it now says which ids do not fit and writes nothing.
    @Test func appendingPastTheLargestIdIsRefusedNotACrash() async throws {
        let db = try await TestPostgres.shared.freshDatabase("GenerateAppendOverflow")
        let highest = Int64.max - 10
        try await db.withConnection { connection in
            try connection.execute(
                "INSERT INTO shop.customers (id, name, created_at) VALUES (\(highest), '김민준', now() - interval '3 days')"
            )
        }
        let appended = try await Self.generate(["--append"] + Self.small, into: db)
        #expect(appended.status == 1, "stderr: \(appended.standardError)")
        #expect(
            appended.standardError.contains(
                "shop.customers (ids up to \(highest), and 300 more would pass \(Int64.max)); nothing was written"),
            "stderr: \(appended.standardError)")
        let customers = try await db.withConnection {
            try $0.queryValue(Int.self, "SELECT count(*) FROM shop.customers")
        }
        #expect(customers == 1)
    }

    @Test func aUserThatCannotBecomeTheShopIsToldSo() async throws {
        let db = try await TestPostgres.shared.database("GenerateRole")
        let outcome = try await Self.generate(Self.small, into: db, as: .app)
        #expect(outcome.status == 1)
        #expect(outcome.standardError.contains("may not take on role ondo_shop"), "stderr: \(outcome.standardError)")
        // Not "or as an administrator": one with CREATEROLE that is not a superuser is refused the same way.
        #expect(
            outcome.standardError.contains("(connect as a superuser or as a member of ondo_shop"),
            "stderr: \(outcome.standardError)")
        let customers = try await db.withConnection {
            try $0.queryValue(Int.self, "SELECT count(*) FROM shop.customers")
        }
        #expect(customers == 0)
    }

    /// An unmigrated database is refused with the command that fixes it, for an administrator and a shop login
    /// alike: it used to fail with PostgreSQL's "relation shop.customers does not exist".
    @Test func anUnmigratedDatabaseIsRefusedWithTheCommandThatFixesIt() async throws {
        let db = try await TestPostgres.shared.emptyDatabase("GenerateUnmigrated")
        for role in [TestRole.admin, .shop] {
            let outcome = try await Self.generate(Self.small, into: db, as: role)
            #expect(outcome.status == 1, "\(role): \(outcome.standardError)")
            #expect(
                outcome.standardError.contains(
                    "ondo generate: the database has no Ondo schema: run `ondo migrate` first"),
                "\(role): \(outcome.standardError)")
            #expect(!outcome.standardError.contains("does not exist"), "\(role): \(outcome.standardError)")
        }
    }

    /// A database a migration behind is refused before anything is written when the login may read the schema's
    /// version (here the administrator's): it used to be written anyway.
    @Test func aDatabaseAMigrationBehindIsRefusedBeforeWriting() async throws {
        let db = try await TestPostgres.shared.freshDatabase("GenerateOlderSchema")
        try await db.withConnection { admin in
            try admin.execute("DELETE FROM ondo_meta.schema_migrations WHERE version = \(SchemaVersion.expected)")
        }
        let outcome = try await Self.generate(Self.small, into: db)
        #expect(outcome.status == 1, "stderr: \(outcome.standardError)")
        #expect(
            outcome.standardError.contains(
                "ondo generate: the database's schema is at migration \(SchemaVersion.expected - 1) and this ondo "
                    + "needs \(SchemaVersion.expected): run `ondo migrate` first"),
            "stderr: \(outcome.standardError)")
        let customers = try await db.withConnection {
            try $0.queryValue(Int.self, "SELECT count(*) FROM shop.customers")
        }
        #expect(customers == 0, "a refused run wrote customers")
    }

    /// The live progress line's first figures came after the first event: "live 0:00  1 events  (…)  100.4/s" at 50
    /// asked (in a log, the only line of a short run). It now waits for the first second: about 50 events.
    @Test func liveProgressShowsItsFirstRateAfterASecond() async throws {
        let db = try await TestPostgres.shared.freshDatabase("GenerateLiveProgress")
        let outcome = try await Self.generate(
            ["--customers", "200", "--products", "20", "--orders", "600", "--reviews", "200"]
                + ["--live", "--rate", "50", "--duration", "2"],
            into: db)
        #expect(outcome.status == 0, "stderr: \(outcome.standardError)")
        let line = try #require(
            outcome.standardError.split(separator: "\n").first { $0.hasPrefix("live ") }, "\(outcome.standardError)")
        print("first live progress line: \(line)")
        let events = line.split(separator: " ", omittingEmptySubsequences: true).dropFirst(2).first.flatMap {
            Int($0.filter(\.isNumber))
        }
        // Poisson arrivals at 50 a second: fewer than 20 in the first second has a chance of 4.8 × 10⁻⁷.
        #expect((events ?? 0) >= 20, "\(line)")
    }

    @Test func liveModeWritesAtRoughlyTheAskedRate() async throws {
        let db = try await TestPostgres.shared.freshDatabase("GenerateLive")
        let outcome = try await Self.generate(
            [
                "--customers", "200", "--products", "20", "--orders", "600", "--reviews", "200", "--live", "--rate",
                "40",
                "--duration", "3",
            ],
            into: db)
        #expect(outcome.status == 0, "stderr: \(outcome.standardError)")
        let counts = try await ShopChecksums.of(db).counts
        let liveEvents =
            (counts["customers"] ?? 0) - 200 + (counts["orders"] ?? 0) - 600 + (counts["reviews"] ?? 0) - 200
        print("live mode: \(liveEvents) events in 3 s at 40/s asked; \(outcome.standardOutput)")
        #expect(liveEvents >= 60, "expected about 120 live events, at least half")
        #expect(liveEvents <= 240)
        #expect(outcome.standardOutput.contains("live: "))
    }

    /// Live traffic alone on a shop written with fewer products than this run's --products (30 against the default
    /// 500): live orders and reviews named products 1…500, most of which the shop does not have. They now name the
    /// shop's own.
    @Test func liveTrafficOnAnEarlierShopNamesOnlyItsProducts() async throws {
        let db = try await TestPostgres.shared.freshDatabase("GenerateLiveFewerProducts")
        let written = try await Self.generate(
            ["--customers", "200", "--products", "30", "--orders", "300", "--reviews", "100"], into: db)
        #expect(written.status == 0, "stderr: \(written.standardError)")
        let live = try await Self.generate(["--live", "--rate", "100", "--duration", "2"], into: db)
        #expect(live.status == 0, "stderr: \(live.standardError)")
        let (liveItems, unknown) = try await db.withConnection { connection in
            (
                try connection.queryValue(Int.self, "SELECT count(*) FROM shop.order_items WHERE order_id > 300"),
                try connection.queryValue(
                    Int.self,
                    """
                    SELECT (SELECT count(*) FROM shop.order_items AS i
                            WHERE NOT EXISTS (SELECT FROM shop.products AS p WHERE p.id = i.product_id))
                         + (SELECT count(*) FROM shop.reviews AS r
                            WHERE NOT EXISTS (SELECT FROM shop.products AS p WHERE p.id = r.product_id))
                    """)
            )
        }
        #expect(liveItems > 0, "no live order was written: \(live.standardError)")
        #expect(unknown == 0, "\(unknown) live order items or reviews name a product the shop does not have")
    }
}
