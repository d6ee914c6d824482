import Foundation
import Postgres
import ShopGenerator
import ShopSimulator
import TestSupport
import Testing

/// The live writer, in-process, as the shop's login user.
@Suite struct LiveShopWriterTests {
    @Test func insertsEachEventAsTheShopWithTriggersFiringPerEvent() async throws {
        let db = try await TestPostgres.shared.freshDatabase("LiveWriter")
        let generator = try ShopGenerator(
            options: ShopGeneratorOptions(
                seed: 5, customers: 100, products: 20, orders: 300, reviews: 100,
                now: Date(timeIntervalSince1970: 1_767_225_600)))
        let shop = try ShopSimulation(
            generator: generator, configuration: db.configuration(as: .shop), logger: TestPostgres.logger)
        let report = try await shop.writeBulk(append: false)
        #expect(report.rows(.customers) == 100)
        #expect(report.rows(.reviews) == 100)

        let service = try await shop.liveService(rate: 100, duration: .seconds(2), logger: TestPostgres.logger)
        try await service.run()
        await shop.close()
        let figures = service.statistics
        print("live writer: \(figures.events) events in \(figures.elapsedSeconds) s at 100/s asked")
        #expect(service.isFinished)
        #expect(figures.events >= 100, "expected about 200 events in 2 s, at least half")
        #expect(figures.events <= 400)

        let counts = try await db.withConnection { connection in
            (
                customers: try connection.queryValue(Int.self, "SELECT count(*) FROM shop.customers"),
                orders: try connection.queryValue(Int.self, "SELECT count(*) FROM shop.orders"),
                reviews: try connection.queryValue(Int.self, "SELECT count(*) FROM shop.reviews"),
                work: try connection.queryValue(Int.self, "SELECT count(*) FROM crm.review_work"),
                itemless: try connection.queryValue(
                    Int.self,
                    "SELECT count(*) FROM shop.orders o WHERE NOT EXISTS (SELECT 1 FROM shop.order_items i WHERE i.order_id = o.id)"
                ),
                liveCustomersWork: try connection.queryValue(
                    Int.self, "SELECT count(*) FROM crm.customer_work WHERE customer_id > 100")
            )
        }
        #expect(counts.customers == 100 + figures.customers)
        #expect(counts.orders == 300 + figures.orders)
        #expect(counts.reviews == 100 + figures.reviews)
        #expect(counts.work == counts.reviews, "every live review gets its work row from the trigger")
        #expect(counts.itemless == 0)
        #expect(counts.liveCustomersWork == figures.customers)
    }

    /// A writer that cannot keep up with its rate (here 4,000 events/s from one connection) still writes every
    /// event that came due within its duration, then stops; it used to stop at the duration with the rest unwritten,
    /// which also made the test above fail on a loaded machine (97 of about 200 events once).
    @Test func aWriterThatFallsBehindWritesTheWholeDurationsTraffic() async throws {
        let db = try await TestPostgres.shared.freshDatabase("LiveWriterBehind")
        let generator = try ShopGenerator(
            options: ShopGeneratorOptions(
                seed: 9, customers: 50, products: 10, orders: 100, reviews: 30,
                now: Date(timeIntervalSince1970: 1_767_225_600)))
        let shop = try ShopSimulation(
            generator: generator, configuration: db.configuration(as: .shop), logger: TestPostgres.logger)
        _ = try await shop.writeBulk(append: false)
        let (rate, seconds) = (4_000.0, 0.5)
        let service = try await shop.liveService(rate: rate, duration: .seconds(seconds), logger: TestPostgres.logger)
        try await service.run()
        await shop.close()
        let figures = service.statistics

        // About rate × duration events are due (Poisson arrivals: 2,000 ± 45); 1,800 is four deviations below.
        print(
            "behind: \(figures.events) events written in \(figures.elapsedSeconds) s, \(Int(rate * seconds)) due on average"
        )
        #expect(figures.elapsedSeconds > seconds, "the writer fell behind, as this test needs")
        #expect(Double(figures.events) >= 0.9 * rate * seconds, "every event due within the duration is written")
        let written = try await db.withConnection { connection in
            try connection.queryValue(Int.self, "SELECT count(*) FROM shop.customers") - 50
                + connection.queryValue(Int.self, "SELECT count(*) FROM shop.orders") - 100
                + connection.queryValue(Int.self, "SELECT count(*) FROM shop.reviews") - 30
        }
        #expect(written == figures.events)
    }

    @Test func theDefaultEndOfThePeriodIsMidnightUTC() throws {
        let afternoon = try #require(GenerationPeriod.parse("2026-11-29T15:42:07Z"))
        #expect(GenerationPeriod.defaultEnd(now: afternoon) == GenerationPeriod.parse("2026-11-29"))
        #expect(GenerationPeriod.parse("2026-11-29")?.timeIntervalSince1970 == 1_795_910_400)
        #expect(GenerationPeriod.parse("29.11.2026") == nil)
    }
}
