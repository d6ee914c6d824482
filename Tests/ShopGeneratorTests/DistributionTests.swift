import Foundation
import Testing

@testable import ShopGenerator

/// Shape of the default-size shop (10,000 customers, 50,000 orders, 20,000 reviews), with tolerances.
@Suite struct DistributionTests {
    let shop = SampleShops.tenThousand

    var ordersPerCustomer: [Int64: Int] {
        shop.orders.reduce(into: [:]) { counts, order in counts[order.customerId, default: 0] += 1 }
    }

    func share<T>(_ rows: [T], _ predicate: (T) -> Bool) -> Double {
        Double(rows.filter(predicate).count) / Double(max(rows.count, 1))
    }

    @Test func someCustomersNeverOrder() {
        let never = 1 - Double(ordersPerCustomer.count) / Double(shop.customers.count)
        #expect(never > 0.10 && never < 0.22)
    }

    @Test func mostBuyersOrderOnceAndAFewOrderOften() {
        let counts = Array(ordersPerCustomer.values)
        let once = share(counts) { $0 == 1 }
        #expect(once > 0.45 && once < 0.65)
        let often = share(counts) { $0 >= 5 }
        #expect(often > 0.15 && often < 0.40)
        // A heavy tail: the top 10 % of buyers place most orders.
        let top = counts.sorted(by: >).prefix(counts.count / 10).reduce(0, +)
        #expect(Double(top) / Double(shop.orders.count) > 0.5)
    }

    @Test func productPopularityIsSkewed() {
        var sold: [Int64: Int] = [:]
        for order in shop.orders { for item in order.items { sold[item.productId, default: 0] += 1 } }
        let lines = sold.values.reduce(0, +)
        let top = sold.values.sorted(by: >).prefix(shop.products.count / 20).reduce(0, +)
        #expect(Double(top) / Double(lines) > 0.3)
    }

    @Test func everyCategoryIsStocked() {
        #expect(Set(shop.products.map(\.category)) == Set(ProductCategory.all.map(\.name)))
    }

    @Test func mostOrdersAreDelivered() {
        #expect(share(shop.orders) { $0.status == .delivered } > 0.9)
        let cancelled = share(shop.orders) { $0.status == .cancelled }
        #expect(cancelled > 0.015 && cancelled < 0.05)
        #expect(share(shop.orders) { $0.status == .refunded } > 0.005)
        #expect(shop.orders.contains { $0.status == .paid } && shop.orders.contains { $0.status == .shipped })
        let couponed = share(shop.orders) { $0.couponCode != nil }
        #expect(couponed > 0.04 && couponed < 0.15)
    }

    @Test func consentsAreSplit() {
        let marketing = share(shop.customers, \.marketingConsent)
        #expect(abs(marketing - 0.6) < 0.03)
        let night = share(shop.customers, \.nightConsent)
        #expect(night > 0.1 && night < 0.25)
    }

    @Test func mostReviewsArePositive() {
        let positive = share(shop.reviews) { $0.polarity == .positive }
        #expect(positive > 0.74 && positive < 0.82)
    }

    @Test func ratingsAgreeWithPolarityWithSomeNoise() {
        func mean(_ polarity: ReviewPolarity) -> Double {
            let ratings = shop.reviews.filter { $0.polarity == polarity }.compactMap(\.rating)
            return Double(ratings.reduce(0, +)) / Double(ratings.count)
        }
        #expect(mean(.positive) > 4.3)
        #expect(mean(.negative) < 2.1)
        let positives = shop.reviews.filter { $0.polarity == .positive }
        let negatives = shop.reviews.filter { $0.polarity == .negative }
        // Noise: some 3-star positives and 3- or 4-star negatives, very few 1-star positives.
        #expect(share(positives) { $0.rating == 3 } > 0.03)
        #expect(share(positives) { ($0.rating ?? 5) <= 2 } < 0.01)
        #expect(share(negatives) { ($0.rating ?? 0) >= 3 } > 0.1)
        let unrated = share(shop.reviews) { $0.rating == nil }
        #expect(unrated > 0.03 && unrated < 0.07)
    }

    @Test func fourStarReviewsSometimesComplain() {
        let fourStar = shop.reviews.filter { $0.polarity == .positive && $0.rating == 4 }
        let complaining = share(fourStar) { !$0.complaints.isEmpty }
        #expect(complaining > 0.15 && complaining < 0.45)
    }

    @Test func edgeCasesAppearButRarely() {
        let edges = Set(EdgeCaseReview.all.map(\.text))
        let edgeShare = share(shop.reviews) { edges.contains($0.body) }
        #expect(edgeShare > 0.015 && edgeShare < 0.05)
        #expect(shop.reviews.contains { $0.body.unicodeScalars.count > 1_000 })
    }

    @Test func negativeReviewsConcentrateOnDudsAndTheirWeakPoints() {
        let lemons = Set(shop.generator.model.products.filter(\.isLemon).map(\.id))
        let lemonReviews = shop.reviews.filter { lemons.contains($0.productId) }
        let otherReviews = shop.reviews.filter { !lemons.contains($0.productId) }
        #expect(share(lemonReviews) { $0.polarity == .negative } > 2 * share(otherReviews) { $0.polarity == .negative })
    }
}
