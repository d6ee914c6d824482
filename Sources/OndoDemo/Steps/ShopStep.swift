import ShopGenerator
import ShopSimulator

/// Generates a small shop and writes it as the shop would (COPY in one transaction), or keeps the shop an
/// earlier run — or another demo running at the same time — wrote into the same database.
struct ShopStep: DemoStep {
    var title: String { "A shop with a year of history" }

    func run(_ context: inout DemoContext) async throws {
        let options = context.options
        let size = options.shopSize
        let generator = try ShopGenerator(
            options: ShopGeneratorOptions(
                seed: options.seed, customers: options.customers, products: size.products, orders: size.orders,
                reviews: size.reviews, now: options.now))
        let configuration = try context.configuration.database.postgresConfiguration(for: .administration)
        let shop = try ShopSimulation(generator: generator, configuration: configuration, logger: context.logger)
        context.shop = shop
        var highest = try await shop.highestIds()
        if highest.isEmpty {
            do {
                context.tell(.shopWritten(try await shop.writeBulk(append: false)))
                return
            } catch let error as ShopWriteError where error.isIdCollision {
                // Another demo on the same database wrote its shop while this one wrote (it found the same empty
                // shop): use that one, as a later run would.
                highest = try await shop.highestIds()
            }
        }
        // Live orders and reviews name the generator's products 1…n: without any, each live review was quarantined
        // (unknown_product) and each order named products the shop does not have.
        guard highest.products > 0 else {
            let addProducts = options.command(
                "generate --append --customers 0 --products \(size.products) --orders 0 --reviews 0")
            let startClean =
                context.embeddedOptions == nil
                ? "ondo demo --reset on the embedded cluster" : options.resetCommand
            throw DemoError(
                "the shop in this database has customers but no products, which the live shop's orders and reviews "
                    + "need: add some (\(addProducts)), or start clean (\(startClean))")
        }
        context.tell(.shopReused(try await shop.rowCounts()))
        // An earlier run with fewer customers wrote fewer products.
        let products = Int(highest.products)
        guard products != size.products else { return }
        var reused = generator.options
        reused.products = products
        await shop.close()
        context.shop = nil
        context.shop = try ShopSimulation(
            generator: try ShopGenerator(options: reused), configuration: configuration, logger: context.logger)
    }
}
