import Foundation

@testable import ShopGenerator

/// Shops generated once and shared by the tests (generation is the slow part of a debug test run).
enum SampleShops {
    /// A fixed "now": 2026-01-01 00:00:00 UTC.
    static let now = Date(timeIntervalSince1970: 1_767_225_600)

    /// Options for the year before ``now``.
    static func options(
        seed: UInt64, customers: Int, products: Int = 200, orders: Int, reviews: Int, emptyBodyShare: Double = 0
    ) -> ShopGeneratorOptions {
        ShopGeneratorOptions(
            seed: seed, customers: customers, products: products, orders: orders, reviews: reviews, now: now,
            emptyBodyShare: emptyBodyShare)
    }

    /// All rows of one generated shop.
    struct Shop: Sendable {
        let generator: ShopGenerator
        let customers: [GeneratedCustomer]
        let products: [GeneratedProduct]
        let orders: [GeneratedOrder]
        let reviews: [GeneratedReview]

        init(_ options: ShopGeneratorOptions) {
            do {
                generator = try ShopGenerator(options: options)
            } catch {
                // A static fixture cannot throw; its options are the tests' own, so this is a bug in them.
                fatalError("sample shop options refused: \(error)")
            }
            customers = Array(generator.customers())
            products = Array(generator.products())
            orders = Array(generator.orders())
            reviews = Array(generator.reviews())
        }
    }

    /// 2,000 customers, 200 products, 10,000 orders, 4,000 reviews.
    static let small = Shop(options(seed: 11, customers: 2_000, orders: 10_000, reviews: 4_000))

    /// The default sizes (10,000 customers, 500 products, 50,000 orders, 20,000 reviews), seed 7.
    static let tenThousand = Shop(ShopGeneratorOptions(seed: 7, now: now))
}
