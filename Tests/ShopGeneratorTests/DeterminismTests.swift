import Foundation
import Testing

@testable import ShopGenerator

@Suite struct DeterminismTests {
    let options = SampleShops.options(seed: 42, customers: 500, products: 50, orders: 1_500, reviews: 600)

    @Test func sameOptionsGiveIdenticalRows() throws {
        let first = RowChecksum.of(try ShopGenerator(options: options))
        let second = RowChecksum.of(try ShopGenerator(options: options))
        #expect(first == second)
        #expect(first.count == 5)
    }

    @Test func anotherSeedGivesOtherRowsInEveryTable() throws {
        var other = options
        other.seed = 43
        let first = RowChecksum.of(try ShopGenerator(options: options))
        let second = RowChecksum.of(try ShopGenerator(options: other))
        for table in first.keys { #expect(first[table] != second[table], "\(table)") }
    }

    @Test func reviewCountLeavesOtherTablesAlone() throws {
        var more = options
        more.reviews = 900
        let first = RowChecksum.of(try ShopGenerator(options: options))
        let second = RowChecksum.of(try ShopGenerator(options: more))
        for table in ["customers", "products", "orders", "order_items"] {
            #expect(first[table] == second[table], "\(table)")
        }
        #expect(first["reviews"] != second["reviews"])
    }

    @Test func orderCountLeavesCustomersAndProductsAlone() throws {
        var more = options
        more.orders = 2_000
        let first = RowChecksum.of(try ShopGenerator(options: options))
        let second = RowChecksum.of(try ShopGenerator(options: more))
        #expect(first["customers"] == second["customers"])
        #expect(first["products"] == second["products"])
        #expect(first["orders"] != second["orders"])
    }

    @Test func randomAccessMatchesTheStreams() throws {
        let generator = try ShopGenerator(options: options)
        let customers = Array(generator.customers())
        #expect(generator.customer(id: 17) == customers[16])
        #expect(generator.customer(id: 0) == nil)
        #expect(generator.customer(id: 501) == nil)
        #expect(generator.product(id: 50) == Array(generator.products()).last)
        #expect(generator.product(id: 51) == nil)
    }

    @Test func timestampsAreWholeSeconds() throws {
        var shifted = options
        shifted.start = shifted.start.addingTimeInterval(0.75)
        shifted.end = shifted.end.addingTimeInterval(0.75)
        let generator = try ShopGenerator(options: shifted)
        let times =
            generator.customers().map(\.createdAt) + generator.orders().map(\.orderedAt)
            + generator.reviews().map(\.createdAt)
        #expect(times.allSatisfy { $0.timeIntervalSince1970 == $0.timeIntervalSince1970.rounded() })
    }

    @Test func inconsistentOptionsAreRejected() {
        let now = SampleShops.now
        #expect(throws: ShopGeneratorError.self) {
            try ShopGenerator(options: ShopGeneratorOptions(customers: -1, now: now))
        }
        #expect(throws: ShopGeneratorError.self) {
            try ShopGenerator(options: ShopGeneratorOptions(products: 0, now: now))
        }
        #expect(throws: ShopGeneratorError.self) {
            try ShopGenerator(options: ShopGeneratorOptions(start: now, end: now))
        }
        let problems = ShopGeneratorOptions(customers: 0, now: now, emptyBodyShare: 2).problems()
        #expect(problems.count == 3)
    }

    /// The shop tables refuse times before 1900 or from year 10,000 on (`*_created_at_plausible`): a period
    /// reaching outside is refused before anything is generated, not by the database after the whole COPY.
    @Test func aPeriodOutsideTheTablesPlausibleTimesIsRejected() throws {
        let now = SampleShops.now
        let tooLong = ShopGeneratorOptions(now: now, days: 60_000).problems()
        #expect(tooLong.count == 1 && tooLong.first?.contains("1900") == true, "\(tooLong)")
        let yearTenThousand = try #require(ISO8601DateFormatter().date(from: "10000-01-02T00:00:00Z"))
        #expect(ShopGeneratorOptions(now: yearTenThousand).problems().count == 1)
        let lastDay = try #require(ISO8601DateFormatter().date(from: "9999-12-31T00:00:00Z"))
        #expect(ShopGeneratorOptions(now: lastDay).problems().isEmpty)
        let firstYear = try #require(ISO8601DateFormatter().date(from: "1901-01-01T00:00:00Z"))
        #expect(ShopGeneratorOptions(now: firstYear).problems().isEmpty)
    }

    /// The refusal names the period's ends in ISO 8601 (as `ondo generate` names `--now`), also before year 1:
    /// `--days 1000000` was refused "(it runs from <description unavailable> to 2026-01-01 00:00:00 +0000)".
    @Test func aPeriodBeforeYearOneIsNamedInTheRefusal() throws {
        let problems = ShopGeneratorOptions(now: SampleShops.now, days: 1_000_000).problems()
        #expect(problems.count == 1, "\(problems)")
        let problem = try #require(problems.first)
        #expect(problem.hasSuffix("(it runs from -0712-02-12T00:00:00Z to 2026-01-01T00:00:00Z)"), "\(problem)")
        let tooShort = try #require(ShopGeneratorOptions(now: SampleShops.now, days: 0).problems().first)
        #expect(tooShort.hasSuffix("(from 2026-01-01T00:00:00Z to 2026-01-01T00:00:00Z)"), "\(tooShort)")
    }
}
