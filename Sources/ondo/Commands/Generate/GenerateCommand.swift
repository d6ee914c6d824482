import ArgumentParser
import Foundation
import Logging
import OndoServer
import Postgres
import ServiceLifecycle
import ShopGenerator
import ShopSimulator

/// `ondo generate`: writes a seeded, generated shop into the `shop` tables (bulk), and optionally keeps it
/// busy with live traffic.
struct GenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a seeded, realistic shop into the shop tables; optionally keep it busy with live traffic.",
        discussion: """
            Generates customers, products in categories, orders with their items (most customers buy once, a few \
            often) and Korean reviews written from phrase templates about real aspects (배송, 품질, 사이즈, 가격, \
            포장, 응대, 색상 …) with a known intended sentiment and a rating to match (with some noise), and \
            writes them as the shop would — as role ondo_shop, with COPY, in one transaction — so Ondo's triggers \
            queue every review for scoring. A progress bar shows rows per second and the time left.

            Determinism: the same --seed, sizes, --days and --now give identical rows, byte for byte (every table, \
            every id). --now defaults to today at 00:00 UTC, so runs on the same day match; pass --now to match \
            across days.

            Ids start at 1, so an empty shop is expected: when the tables already hold rows with those ids, \
            nothing is written (an error says which). --append numbers the new rows after the highest ids instead.

            Live mode (--live) then inserts sign-ups, orders and reviews one by one at --rate events per second, \
            as a shop's traffic would arrive (each in its own transaction, so triggers fire per event), for \
            --duration seconds or until Ctrl-C. On a shop that already has rows, --live adds live traffic only.

            The rows are written as ondo_shop, over the connection --database-url names (else \
            ONDO_ADMIN_DATABASE_URL, else ONDO_DATABASE_URL): a superuser's login, or a login in role ondo_shop \
            (an administrator with CREATEROLE that is not a superuser may not take on the role). With --embedded, \
            the private cluster.

            Examples, on the embedded cluster (the default sizes; the same rows on any day; the large shop of the \
            README; more rows; live traffic):
              ondo generate --embedded
              ondo generate --seed 7 --now 2026-01-01 --embedded
              ondo generate --customers 1000000 --orders 5000000 \\
                --reviews 2000000 --embedded
              ondo generate --append --customers 500 --orders 2000 --reviews 800 --embedded
              ondo generate --live --rate 50 --duration 120 --embedded
            """)

    @OptionGroup var common: CommonOptions

    @Option(name: .long, parsing: .unconditional, help: "The seed every random choice derives from.")
    var seed: UInt64 = 7

    @Option(name: .long, parsing: .unconditional, help: "Customers to generate.")
    var customers = ShopGeneratorOptions.defaultCounts.customers

    @Option(name: .long, parsing: .unconditional, help: "Products to generate.")
    var products = ShopGeneratorOptions.defaultCounts.products

    @Option(name: .long, parsing: .unconditional, help: "Orders to generate (their items come on top).")
    var orders = ShopGeneratorOptions.defaultCounts.orders

    @Option(name: .long, parsing: .unconditional, help: "Reviews to generate.")
    var reviews = ShopGeneratorOptions.defaultCounts.reviews

    @Option(name: .long, parsing: .unconditional, help: "Days of history the rows span.")
    var days = 365

    @Option(name: .long, help: "End of the history, YYYY-MM-DD (UTC) or ISO 8601 (default: today at 00:00 UTC).")
    var now: String?

    @Option(
        name: .long, parsing: .unconditional,
        help: "Share (0 to 1) of reviews with an empty body, to exercise quarantine.")
    var emptyBodies = 0.0

    @Flag(name: .long, help: "Number the new rows after the highest ids already in the tables.")
    var append = false

    @Flag(name: .long, help: "Then insert live sign-ups, orders and reviews at --rate per second.")
    var live = false

    @Option(name: .long, parsing: .unconditional, help: "Live events per second (with --live; default: 10).")
    var rate: Double?

    /// Live events per second: `--rate`, else 10.
    private var liveRate: Double { rate ?? 10 }

    @Option(name: .long, parsing: .unconditional, help: "Seconds of live traffic (with --live; default: until Ctrl-C).")
    var duration: Double?

    func validate() throws {
        if now.map(GenerationPeriod.parse) == .some(nil) {
            throw ValidationError("--now must be a date like 2026-01-01 or 2026-01-01T09:00:00Z")
        }
        // Live traffic carries the current time: after a history that ends later, its orders would come before
        // the sign-ups of the customers they name.
        if live, let end = now.flatMap(GenerationPeriod.parse), end > Date() {
            throw ValidationError("--live needs a --now that has passed: live traffic carries the current time")
        }
        if !live && (duration != nil) { throw ValidationError("--duration needs --live") }
        if !live && (rate != nil) { throw ValidationError("--rate needs --live") }
        if live && !(liveRate > 0 && liveRate <= 10_000) {
            throw ValidationError("--rate must be more than 0 and at most 10000 events per second")
        }
        // NaN, infinity or a huge number would trap where the seconds become a `Duration`.
        if let duration, !(duration > 0 && duration <= LiveShopService.longestDurationSeconds) {
            throw ValidationError(
                "--duration must be a positive number of seconds, at most \(Int(LiveShopService.longestDurationSeconds))"
            )
        }
        // Live orders name the generator's products; the live step found none and stopped after the bulk write.
        if live && products == 0 { throw ValidationError("--live needs at least one product (--products)") }
        if days < 1 { throw ValidationError("--days must be at least 1") }
        if !(0...1).contains(emptyBodies) { throw ValidationError("--empty-bodies must be a share between 0 and 1") }
        try validateSizes()
    }

    /// Sizes no shop can have, in the options' words (ShopGeneratorOptions checks the same, in its own words).
    private func validateSizes() throws {
        for (count, option) in [
            (customers, "--customers"), (products, "--products"), (orders, "--orders"), (reviews, "--reviews"),
        ] where count < 0 {
            throw ValidationError("\(option) must not be negative (it is \(count))")
        }
        let largest = ShopGeneratorOptions.largestCounts
        for (count, most, option) in [
            (customers, largest.customers, "--customers"), (products, largest.products, "--products"),
            (orders, largest.orders, "--orders"), (reviews, largest.reviews, "--reviews"),
        ] where count > most {
            throw ValidationError("\(option) must be at most \(NumberText.grouped(most)) (it is \(count))")
        }
        if (orders > 0 || reviews > 0) && (customers == 0 || products == 0) {
            throw ValidationError(
                "--orders and --reviews need at least one customer (--customers) and one product (--products)")
        }
        let end = now.flatMap(GenerationPeriod.parse) ?? GenerationPeriod.defaultEnd()
        let problems = ShopGeneratorOptions(
            seed: seed, customers: customers, products: products, orders: orders, reviews: reviews, now: end,
            days: days, emptyBodyShare: emptyBodies
        ).problems()
        if let problem = problems.first { throw ValidationError("--days and --now: \(problem)") }
    }

    func run() async throws {
        try await reportingFailures("generate") {
            let end = now.flatMap(GenerationPeriod.parse) ?? GenerationPeriod.defaultEnd()
            let generator = try ShopGenerator(
                options: ShopGeneratorOptions(
                    seed: seed, customers: customers, products: products, orders: orders, reviews: reviews, now: end,
                    days: days, emptyBodyShare: emptyBodies))
            let logger = common.makeLogger(label: "ondo.generate")
            try await common.withDatabase(logger: logger) { configuration in
                // Before anything is written: an unmigrated database would fail on a missing table, and one a
                // migration behind would take rows this build's schema does not expect.
                let administration = try DatabaseAdministration(settings: configuration.database, logger: logger)
                let migrate = common.followUp("migrate")
                let mismatch = try await BlockingWork.run { try administration.shopWriterMismatch(migrate: migrate) }
                if let mismatch { throw CommandError(mismatch) }
                let shopConfiguration = try configuration.database.postgresConfiguration(for: .administration)
                let asked = try ShopSimulation(generator: generator, configuration: shopConfiguration, logger: logger)
                let existing = try await asked.highestIds()
                let shop = try await matchingTheShopsProducts(
                    asked, existing: existing, configuration: shopConfiguration, logger: logger)
                do {
                    try await write(
                        shop, existing: existing, limitSeconds: configuration.pipeline.shutdownTimeoutSeconds,
                        logger: logger)
                    await shop.close()
                } catch let exit as ExitCode {
                    // Live traffic cut short: closing the pool would wait for the write stuck in the database.
                    throw exit
                } catch {
                    await shop.close()
                    throw error
                }
            }
        }
    }

    /// For live traffic alone on a shop written earlier, a shop simulation whose products are the shop's own: live
    /// orders and reviews name products 1…n of the generator, and with this run's --products (500 by default) on a
    /// shop written with fewer (say --products 30), most named products the shop does not have. As `ondo demo` does.
    private func matchingTheShopsProducts(
        _ shop: ShopSimulation, existing: ShopHighestIds, configuration: PostgresConfiguration, logger: Logger
    ) async throws -> ShopSimulation {
        guard live, !append else { return shop }
        var options = shop.generator.options
        let products = Int(existing.products)
        guard !existing.isEmpty, products > 0, products != options.products,
            products <= ShopGeneratorOptions.largestCounts.products
        else { return shop }
        options.products = products
        await shop.close()
        return try ShopSimulation(
            generator: try ShopGenerator(options: options), configuration: configuration, logger: logger)
    }

    /// Writes the bulk shop (unless live traffic joins a shop with rows: `existing`, its highest ids), then live
    /// traffic when asked.
    private func write(_ shop: ShopSimulation, existing: ShopHighestIds, limitSeconds: Double, logger: Logger)
        async throws
    {
        let options = shop.generator.options
        // Live orders and reviews name products 1…n: on a shop without any, every order named products the shop
        // does not have and every review was quarantined (unknown_product). As `ondo demo` does, say so first.
        if live && !existing.isEmpty && !append && existing.products == 0 {
            let addProducts = common.followUp(
                "generate --append --customers 0 --products \(options.products) --orders 0 --reviews 0")
            throw CommandError(
                "the shop in this database has rows but no products, which live orders and reviews need: add some "
                    + "first (\(addProducts)); nothing was written")
        }
        if live && !existing.isEmpty && !append {
            StandardError.write(
                "ondo generate: the shop already has rows; adding live traffic only (after the highest ids)")
        } else {
            StandardError.write(
                "ondo generate: writing \(NumberText.grouped(options.customers)) customers, "
                    + "\(NumberText.grouped(options.products)) products, \(NumberText.grouped(options.orders)) orders, "
                    + "\(NumberText.grouped(options.reviews)) reviews (seed \(options.seed), \(days) days to "
                    + "\(ISO8601DateFormatter().string(from: options.end))) into \(shop.endpoint) as \(ShopRole.name)")
            let progress = TableProgress()
            let report = try await shop.writeBulk(append: append) { progress.show($0) }
            StandardError.endLine()
            print(GenerateReportText.render(report))
        }
        if live {
            try await runLive(shop, limitSeconds: limitSeconds, logger: logger)
        }
    }

    /// Live traffic until its duration is over or a signal stops it, as `ondo serve` stops (``ShutdownLimit``): the
    /// first Ctrl-C or SIGTERM lets the write in hand finish (status 0); a second one, or
    /// `pipeline.shutdownTimeoutSeconds` passing first — a write waiting for a lock — cancels it and exits with 128 +
    /// the signal's number. Both signals used to wait for such a write until the statement timeout, then status 1.
    private func runLive(_ shop: ShopSimulation, limitSeconds: Double, logger: Logger) async throws {
        let signals = await ServeSignals.trap(logger: logger)
        defer { signals.finished() }
        let line = LiveProgressLine()
        let service = try await shop.liveService(
            rate: liveRate, duration: duration.map { .milliseconds(Int64($0 * 1000)) }, logger: logger
        ) { line.show($0) }
        StandardError.write(
            "ondo generate: live traffic at \(liveRate) events/s\(duration.map { " for \($0) s" } ?? " until Ctrl-C")")
        do {
            let limit = ShutdownLimit(limitSeconds: limitSeconds, logger: logger, wording: .liveShop)
            try await limit.run(signals: signals.running()) { _ in
                ServiceGroup(
                    configuration: ServiceGroupConfiguration(
                        services: [.init(service: service, successTerminationBehavior: .gracefullyShutdownGroup)],
                        gracefulShutdownSignals: [], cancellationSignals: [], logger: logger))
            } giveBack: { _ in
                // Nothing claimed: a cancelled write rolls back.
            }
        } catch let cutShort as ShutdownCutShort {
            StandardError.endLine()
            StandardError.write(
                "ondo generate: live traffic cut short by "
                    + (cutShort.bySecondSignal
                        ? "a second signal" : "pipeline.shutdownTimeoutSeconds (\(limitSeconds) s)")
                    + "; the write in hand was cancelled, nothing of it written")
            ServeSignals.cancelStatementsLeftRunning()
            throw ExitCode(cutShort.exitStatus)
        }
        StandardError.endLine()
        let figures = service.statistics
        print(
            "live: \(NumberText.grouped(figures.events)) events (\(LiveCounts.text(figures))) in "
                + "\(NumberText.duration(figures.elapsedSeconds)), "
                + String(format: "%.1f", figures.eventsPerSecond) + " events/s (asked for \(liveRate))")
    }
}
