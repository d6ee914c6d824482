import ShopGenerator
import ShopSimulator

/// Generates a small shop and writes it as the shop would (COPY in one transaction), or keeps the shop an
/// earlier run wrote into the same database.
struct ShopStep: DemoStep {
    var title: String { "A shop with a year of history" }

    func run(_ context: inout DemoContext) async throws {
        let options = context.options
        let size = options.shopSize
        let generator = try ShopGenerator(
            options: ShopGeneratorOptions(
                seed: options.seed, customers: options.customers, products: size.products, orders: size.orders,
                reviews: size.reviews, now: options.now))
        let shop = try ShopSimulation(
            generator: generator,
            configuration: try context.configuration.database.postgresConfiguration(for: .administration),
            logger: context.logger)
        context.shop = shop
        if try await shop.highestIds().isEmpty {
            context.tell(.shopWritten(try await shop.writeBulk(append: false)))
        } else {
            context.tell(.shopReused(try await shop.rowCounts()))
        }
    }
}
