import Foundation
import Testing

@testable import ShopGenerator

@Suite struct ConsistencyTests {
    let shop = SampleShops.small

    @Test func everyTableHasExactlyTheRequestedRowsWithIdsFromOne() {
        let options = shop.generator.options
        #expect(shop.customers.map(\.id) == Array(1...Int64(options.customers)))
        #expect(shop.products.map(\.id) == Array(1...Int64(options.products)))
        #expect(shop.orders.map(\.id) == Array(1...Int64(options.orders)))
        #expect(shop.reviews.map(\.id) == Array(1...Int64(options.reviews)))
        #expect(shop.generator.orders().count == options.orders)
    }

    @Test func uniqueKeysAreUnique() {
        #expect(Set(shop.products.map(\.sku)).count == shop.products.count)
        #expect(Set(shop.customers.map(\.email)).count == shop.customers.count)
        #expect(Set(shop.customers.map(\.phone)).count == shop.customers.count)
    }

    @Test func customersLookPlausible() {
        let options = shop.generator.options
        for customer in shop.customers {
            #expect(
                customer.email.hasSuffix("@example.com") || customer.email.hasSuffix("@example.net")
                    || customer.email.hasSuffix("@example.org"))
            #expect(customer.phone.wholeMatch(of: /010-[01]\d{3}-\d{4}/) != nil)
            #expect((2...4).contains(customer.name.count))
            #expect(!customer.nightConsent || customer.marketingConsent)
            #expect(customer.createdAt >= options.start.addingTimeInterval(-1) && customer.createdAt < options.end)
        }
        #expect(zip(shop.customers, shop.customers.dropFirst()).allSatisfy { $0.createdAt <= $1.createdAt })
    }

    @Test func productsHaveCategoryPrices() {
        for product in shop.products {
            let category = ProductCategory.all.first { $0.name == product.category }
            #expect(category.map { $0.priceRange.contains(product.priceWon) } == true, "\(product)")
            #expect(product.priceWon % 100 == 0)
        }
    }

    @Test func ordersBelongToCustomersWhoHadSignedUp() {
        let signups = Dictionary(uniqueKeysWithValues: shop.customers.map { ($0.id, $0.createdAt) })
        let end = shop.generator.options.end
        for order in shop.orders {
            let signup = signups[order.customerId]
            #expect(signup != nil)
            #expect(signup.map { order.orderedAt >= $0 } == true)
            #expect(order.orderedAt < end)
        }
    }

    @Test func itemsNameProductsAndAddUpToTheTotal() {
        let products = Dictionary(uniqueKeysWithValues: shop.products.map { ($0.id, $0) })
        for order in shop.orders {
            #expect(!order.items.isEmpty)
            #expect(Set(order.items.map(\.productId)).count == order.items.count)
            let subtotal = order.items.reduce(Int64(0)) { $0 + $1.unitPriceWon * Int64($1.quantity) }
            #expect(order.totalWon <= subtotal && order.totalWon >= 0)
            if order.couponCode == nil { #expect(order.totalWon == subtotal) }
            for item in order.items {
                #expect(item.orderId == order.id && item.quantity >= 1)
                let listPrice = products[item.productId]?.priceWon
                #expect(listPrice != nil)
                #expect(listPrice.map { item.unitPriceWon <= $0 && item.unitPriceWon * 10 >= $0 * 8 } == true)
            }
        }
    }

    @Test func reviewsFollowTheirOrders() {
        let orders = Dictionary(uniqueKeysWithValues: shop.orders.map { ($0.id, $0) })
        let signups = Dictionary(uniqueKeysWithValues: shop.customers.map { ($0.id, $0.createdAt) })
        let productIds = Set(shop.products.map(\.id))
        var pairs: Set<[Int64]> = []
        for review in shop.reviews {
            #expect(productIds.contains(review.productId))
            #expect(review.createdAt < shop.generator.options.end)
            #expect(signups[review.customerId].map { review.createdAt >= $0 } == true)
            guard let orderId = review.orderId else { continue }
            let order = orders[orderId]
            #expect(order?.customerId == review.customerId)
            #expect(order?.items.contains { $0.productId == review.productId } == true)
            #expect(order.map { review.createdAt > $0.orderedAt } == true)
            #expect(order?.status.isReviewable == true)
            // One review per order line.
            #expect(pairs.insert([orderId, review.productId]).inserted)
        }
        let withoutOrder = shop.reviews.filter { $0.orderId == nil }.count
        #expect(Double(withoutOrder) / Double(shop.reviews.count) < 0.05)
    }

    @Test func ratingsAreStarsOrNull() {
        #expect(shop.reviews.allSatisfy { $0.rating.map { (1...5).contains($0) } ?? true })
    }

    @Test func moreReviewsThanOrdersStillAttachToOrders() throws {
        let generator = try ShopGenerator(
            options: SampleShops.options(seed: 9, customers: 100, products: 30, orders: 200, reviews: 300))
        let reviews = Array(generator.reviews())
        #expect(reviews.count == 300)
        #expect(reviews.filter { $0.orderId != nil }.count > 200)
    }

    @Test func aShopWithoutOrdersStillGetsItsReviews() throws {
        let generator = try ShopGenerator(
            options: SampleShops.options(seed: 9, customers: 50, products: 10, orders: 0, reviews: 80))
        #expect(Array(generator.orders()).isEmpty)
        let reviews = Array(generator.reviews())
        #expect(reviews.count == 80)
        #expect(reviews.allSatisfy { $0.orderId == nil })
    }

    @Test func tinyShopsGetExactCounts() throws {
        for seed in UInt64(1)...20 {
            let generator = try ShopGenerator(
                options: SampleShops.options(seed: seed, customers: 1, products: 1, orders: 3, reviews: 2))
            #expect(Array(generator.orders()).count == 3)
            #expect(Array(generator.reviews()).count == 2)
        }
    }
}
