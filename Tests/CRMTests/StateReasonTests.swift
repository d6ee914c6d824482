import CRM
import Foundation
import Testing

@Suite struct StateReasonTests {
    @Test func encodesFlatObjectsWithACode() throws {
        let reason = StateReason.negativeReview(
            reviewId: 123, productId: 9, score: 0.024_31, probability: 0.04, rating: 1, aspects: ["delivery"],
            daysAgo: 2)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(reason), as: UTF8.self)
        #expect(
            json
                == #"{"aspects":["delivery"],"code":"negative_review","days_ago":2,"probability":0.04,"product_id":9,"rating":1,"review_id":123,"score":0.0243}"#
        )
        let idle = String(
            decoding: try encoder.encode(StateReason.noOrderDays(days: 94, sinceSignup: false)), as: UTF8.self)
        #expect(idle == #"{"code":"no_order_days","days":94,"since":"last_order"}"#)
    }

    @Test func roundTripsEveryReason() throws {
        let reasons: [StateReason] = [
            .negativeReview(
                reviewId: 1, productId: 2, score: 0.1, probability: nil, rating: nil, aspects: [], daysAgo: 0),
            .noOrderDays(days: 3, sinceSignup: true), .highChurnRisk(risk: 0.75, threshold: 0.6),
            .newCustomer(daysSinceSignup: 4, orders: 1), .frequentBuyer(ordersLastYear: 5, spendLastYear: 120_000),
            .goodSentiment(score: 0.9, reviews: 2), .lowSentiment(score: 0.2, reviews: 3), .recentOrder(days: 6),
        ]
        let decoded = try JSONDecoder().decode([StateReason].self, from: try JSONEncoder().encode(reasons))
        #expect(decoded == reasons)
    }

    /// A code this build does not know (a newer Ondo's, during a rolling upgrade) is kept as stored, and written
    /// back with the same fields; an object without a code is still a decoding error.
    @Test func unknownCodeIsKeptAsStored() throws {
        let stored =
            #"{"code":"mystery","days":3,"share":0.25,"tags":["a"],"url":"a/b","on":true,"more":{"k":[1,null]}}"#
        let reason = try JSONDecoder().decode(StateReason.self, from: Data(stored.utf8))
        #expect(reason.code == "mystery")
        #expect(
            reason
                == .unrecognized(
                    code: "mystery",
                    fields: [
                        StoredReasonField(key: "days", value: .integer(3)),
                        StoredReasonField(key: "more", value: .text(#"{"k":[1,null]}"#)),
                        StoredReasonField(key: "on", value: .text("true")),
                        StoredReasonField(key: "share", value: .number(0.25)),
                        StoredReasonField(key: "tags", value: .texts(["a"])),
                        StoredReasonField(key: "url", value: .text("a/b")),
                    ]))
        #expect(reason.summary == #"mystery (days 3, more {"k":[1,null]}, on true, share 0.25, tags [a], url a/b)"#)
        let written = try JSONSerialization.jsonObject(with: JSONEncoder().encode(reason)) as? NSDictionary
        #expect(written?["code"] as? String == "mystery")
        #expect(written?["days"] as? Int == 3)
        #expect(written?["share"] as? Double == 0.25)
        #expect(try JSONDecoder().decode(StateReason.self, from: JSONEncoder().encode(reason)) == reason)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(StateReason.self, from: Data(#"{"days":3}"#.utf8))
        }
    }

    @Test func summariesAreSentences() {
        let reason = StateReason.negativeReview(
            reviewId: 123, productId: 9, score: 0.02, probability: 0.04, rating: 1, aspects: ["delivery"], daysAgo: 1)
        #expect(
            reason.summary == "negative review #123 about delivery (score 0.02 from text 0.0400 and 1★), 1 day ago")
        let textOnly = StateReason.negativeReview(
            reviewId: 7, productId: 9, score: 0.1, probability: 0.1, rating: nil, aspects: [], daysAgo: 0)
        #expect(textOnly.summary == "negative review #7 (score 0.10 from text 0.1000), 0 days ago")
        let starsOnly = StateReason.negativeReview(
            reviewId: 8, productId: 9, score: 0, probability: nil, rating: 1, aspects: [], daysAgo: 2)
        #expect(starsOnly.summary == "negative review #8 (score 0.00 from 1★), 2 days ago")
        #expect(StateReason.noOrderDays(days: 94, sinceSignup: false).summary == "no order for 94 days")
    }

    /// A probability is shown as the reason stores it, rounded once to 4 places. Shown with 2, the stored value was
    /// rounded a second time: 0.005 written to a `real` (0.004999999888…) is stored as 0.005 and read "0.01",
    /// where the value itself rounds to 0.00.
    @Test func probabilitiesAreRoundedOnceToTheStoredPlaces() throws {
        let justBelow = Double(Float(0.005))
        #expect(justBelow < 0.005)
        #expect(StateReason.probabilityText(justBelow) == "0.0050")
        #expect(StateReason.probabilityText(0.0049) == "0.0049")
        #expect(StateReason.probabilityText(0.987_65) == "0.9877")
        let reason = StateReason.negativeReview(
            reviewId: 1, productId: 1, score: 0.1, probability: justBelow, rating: 1, aspects: [], daysAgo: 0)
        let stored = try JSONDecoder().decode(StateReason.self, from: try JSONEncoder().encode(reason))
        // The stored reason's text agrees with the text of the value it was made from.
        let text = StateReason.probabilityText(justBelow)
        #expect(stored.summary.contains("from text \(text) and 1★"), "\(stored.summary)")
    }
}
