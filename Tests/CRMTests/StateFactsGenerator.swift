import CRM
import Foundation

/// Seeded random customers covering the edges: future sign-ups, orders and reviews (clock skew), no orders,
/// unscored and rating-only reviews.
enum StateFactsGenerator {
    static func customer(_ id: Int64, at now: Date, using generator: inout SeededGenerator) -> CustomerFacts {
        let day: TimeInterval = 86_400
        func date(_ range: ClosedRange<Double>) -> Date {
            now.addingTimeInterval(-Double.random(in: range, using: &generator) * day)
        }
        let signedUp = date(-5...500)
        let ordered = Bool.random(using: &generator)
        let lastOrder = ordered ? date(-2...200) : nil
        let ordersLastYear = ordered ? Int.random(in: 1...8, using: &generator) : 0
        let reviews = (0..<Int.random(in: 0...6, using: &generator)).map { index in
            ReviewFact(
                reviewId: id * 100 + Int64(index), productId: 1,
                rating: Int.random(in: 0...6, using: &generator) == 0 ? nil : Int.random(in: 1...5, using: &generator),
                probability: Int.random(in: 0...5, using: &generator) == 0
                    ? nil : Double.random(in: 0...1, using: &generator),
                writtenAt: date(-3...200))
        }
        return CustomerFacts(
            customerId: id, signedUpAt: signedUp,
            purchases: PurchaseSummary(
                lastOrderAt: lastOrder, ordersLastYear: ordersLastYear, spendLastYear: Double(ordersLastYear) * 30_000,
                totalOrders: ordersLastYear + (ordered ? Int.random(in: 0...3, using: &generator) : 0)),
            reviews: reviews)
    }
}
