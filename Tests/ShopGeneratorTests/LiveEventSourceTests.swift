import Foundation
import Testing

@testable import ShopGenerator

@Suite struct LiveEventSourceTests {
    let generator = SampleShops.small.generator
    let watermark = ShopWatermark(after: SampleShops.small.generator)

    func events(_ count: Int, rate: Double = 20, mix: LiveEventMix = .standard) throws -> [ShopEvent] {
        Array(
            try LiveEventSource(generator: generator, rate: rate, after: watermark, start: SampleShops.now, mix: mix)
                .prefix(count))
    }

    @Test func sameInputsGiveTheSameStream() throws {
        #expect(try events(2_000) == events(2_000))
        let later = try LiveEventSource(
            generator: generator, rate: 20, after: watermark, start: SampleShops.now.addingTimeInterval(60))
        #expect(Array(later.prefix(200)) != (try events(200)))
    }

    @Test func idsContinueAboveTheWatermark() throws {
        var customers: [Int64] = []
        var orders: [Int64] = []
        var reviews: [Int64] = []
        for event in try events(3_000) {
            switch event {
            case .customer(let customer): customers.append(customer.id)
            case .order(let order): orders.append(order.id)
            case .review(let review): reviews.append(review.id)
            }
        }
        #expect(customers == Array((watermark.customer + 1)...(watermark.customer + Int64(customers.count))))
        #expect(orders == Array((watermark.order + 1)...(watermark.order + Int64(orders.count))))
        #expect(reviews == Array((watermark.review + 1)...(watermark.review + Int64(reviews.count))))
        #expect(customers.count > 150 && orders.count > 1_000 && reviews.count > 1_000)
    }

    @Test func eventsReferToWhatExists() throws {
        var knownCustomers = Set(1...watermark.customer)
        var liveOrders: [Int64: GeneratedOrder] = [:]
        var reviewed: Set<[Int64]> = []
        for event in try events(3_000) {
            switch event {
            case .customer(let customer):
                knownCustomers.insert(customer.id)
            case .order(let order):
                #expect(knownCustomers.contains(order.customerId))
                #expect(order.status == .paid && !order.items.isEmpty)
                #expect(order.items.allSatisfy { generator.product(id: $0.productId) != nil })
                liveOrders[order.id] = order
            case .review(let review):
                let order = review.orderId.flatMap { liveOrders[$0] }
                #expect(order?.customerId == review.customerId)
                #expect(order?.items.contains { $0.productId == review.productId } == true)
                #expect(order.map { review.createdAt > $0.orderedAt } == true)
                #expect(reviewed.insert([review.orderId ?? 0, review.productId]).inserted)
                #expect(!review.body.isEmpty)
            }
        }
    }

    @Test func eventsArriveAtTheRequestedRate() throws {
        let stream = try events(5_000, rate: 50)
        let times = stream.map(\.timestamp)
        #expect(zip(times, times.dropFirst()).allSatisfy { $0 <= $1 })
        #expect(times[0] >= SampleShops.now)
        let seconds = times[times.count - 1].timeIntervalSince(SampleShops.now)
        #expect(abs(Double(stream.count) / seconds - 50) < 3)
    }

    @Test func reviewsOnlyMixStillStartsWithOrders() throws {
        let stream = try events(100, mix: LiveEventMix(customers: 0, orders: 0, reviews: 1))
        guard case .order = stream[0] else {
            Issue.record("the first event should be an order, as no order awaits a review")
            return
        }
        #expect(stream.contains { if case .review = $0 { true } else { false } })
    }

    @Test func badRatesAndMixesAreRejected() {
        #expect(throws: ShopGeneratorError.self) {
            try LiveEventSource(generator: generator, rate: 0, after: watermark, start: SampleShops.now)
        }
        #expect(throws: ShopGeneratorError.self) {
            try LiveEventSource(
                generator: generator, rate: 1, after: watermark, start: SampleShops.now,
                mix: LiveEventMix(customers: 0, orders: 0, reviews: 0))
        }
    }
}
