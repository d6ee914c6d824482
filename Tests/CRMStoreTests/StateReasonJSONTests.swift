import CRM
import Foundation
import Postgres
import Testing

@testable import CRMStore

/// The store writes reasons by hand; what it writes must be what `StateReason`'s `Codable` conformance writes
/// and reads.
@Suite struct StateReasonJSONTests {
    private let reasons: [StateReason] = [
        .negativeReview(
            reviewId: 9_001, productId: 12, score: 0.123456, probability: 0.045678, rating: 1,
            aspects: ["delivery", "품질 \"나쁨\""], daysAgo: 3),
        .negativeReview(
            reviewId: 9_002, productId: 13, score: 0.2, probability: nil, rating: nil, aspects: [], daysAgo: 0),
        .noOrderDays(days: 61, sinceSignup: false),
        .noOrderDays(days: 130, sinceSignup: true),
        .highChurnRisk(risk: 0.712345, threshold: 0.6),
        .newCustomer(daysSinceSignup: 4, orders: 1),
        .frequentBuyer(ordersLastYear: 9, spendLastYear: 1_234_567.891),
        .frequentBuyer(ordersLastYear: 4, spendLastYear: 120_000),
        .goodSentiment(score: 0.91234, reviews: 5),
        .lowSentiment(score: 0.18765, reviews: 2),
        .recentOrder(days: 2),
    ]

    @Test func handWrittenReasonsMatchTheCodableEncoding() throws {
        for reason in reasons {
            var json = JSONWriter()
            reason.write(to: &json)
            let written = try JSONSerialization.jsonObject(with: Data(json.text.utf8)) as? NSDictionary
            let encoded = try JSONSerialization.jsonObject(with: JSONEncoder().encode(reason)) as? NSDictionary
            #expect(written != nil)
            #expect(written == encoded, "\(reason.code): \(json.text)")
            let decoded = try JSONDecoder().decode(StateReason.self, from: Data(json.text.utf8))
            #expect(decoded == (try JSONDecoder().decode(StateReason.self, from: JSONEncoder().encode(reason))))
        }
    }

    /// A whole amount is stored as `120000`, as `JSONEncoder` wrote it, not `120000.0` (jsonb keeps the scale, so
    /// `reasons->0->>'spend_365d'` would read differently).
    @Test func wholeAmountsHaveNoFraction() {
        var json = JSONWriter()
        StateReason.frequentBuyer(ordersLastYear: 4, spendLastYear: 120_000).write(to: &json)
        #expect(json.text == #"{"code":"frequent_buyer","orders_365d":4,"spend_365d":120000}"#)
        #expect(String(decoding: (try? JSONEncoder().encode(120_000.0)) ?? Data(), as: UTF8.self) == "120000")
    }
}
