import Foundation
import Testing

@testable import Sentiment

@Suite struct PredictionTests {
    static let reviews = [
        "배송이 너무 늦고 포장도 엉망이에요", "재구매 의사 있어요 최고", "", "ㅋ", "좋아요 👍👍", "사이즈가 안 맞아서 반품했어요 ㅠㅠ",
        String(repeating: "품질이 좋고 가격도 착해요 ", count: 40), "별로", "good", "배송 빠름",
    ]

    @Test(arguments: OutputPooling.allCases)
    func aReviewScoresTheSameAloneAndInABatch(pooling: OutputPooling) {
        let model = TestModels.untrained(pooling: pooling, layers: 3)
        let batched = model.predict(Self.reviews)
        #expect(batched.count == Self.reviews.count)
        for (index, review) in Self.reviews.enumerated() {
            let alone = model.predict([review])[0]
            #expect(
                abs(alone - batched[index]) <= 1e-5, "review \(index): \(alone) alone, \(batched[index]) in a batch")
        }
        // Order does not matter either: reversed input, reversed output.
        let reversed = model.predict(Self.reviews.reversed())
        for (a, b) in zip(batched, reversed.reversed()) { #expect(abs(a - b) <= 1e-5) }
    }

    @Test func largeBatchesSpreadOverThreadsKeepTheirOrder() {
        let model = TestModels.untrained()
        let many = (0..<600).map { Self.reviews[$0 % Self.reviews.count] + String(repeating: "!", count: $0 % 3) }
        let parallel = BatchScorer(network: model.network, tokenizer: model.tokenizer).logits(many, threads: 3)
        let serial = BatchScorer(network: model.network, tokenizer: model.tokenizer).logits(many, threads: 1)
        #expect(zip(parallel, serial).allSatisfy { abs($0 - $1) <= 1e-5 })
    }

    @Test func probabilitiesAreCalibratedLogits() {
        let model = TestModels.untrained()
        let logit = model.logits(["좋아요"])[0]
        #expect(abs(model.predict(["좋아요"])[0] - 1 / (1 + exp(-logit / model.temperature))) < 1e-6)
        #expect(model.predict([]).isEmpty)
    }

    @Test func predictionFormats() {
        let predictions = [Prediction(text: "좋아요\t최고", probability: 0.9), Prediction(text: "별로", probability: 0.1)]
        #expect(predictions.map(\.label) == ["positive", "negative"])
        #expect(Prediction.tsv(predictions) == "0.900000\tpositive\t좋아요 최고\n0.100000\tnegative\t별로\n")
        #expect(Prediction.json(predictions, model: "m@1").contains("\"probability\""))
        #expect(Prediction.table(predictions).contains("0.9000  positive"))
    }

    /// The JSON printed batch by batch as stdin is scored is the JSON of all predictions at once, and valid.
    @Test func jsonInPiecesIsTheWholeJSON() throws {
        let predictions = [
            Prediction(text: "좋아요 \"최고\"\n/\\", probability: 0.9), Prediction(text: "별로", probability: 0.1),
            Prediction(text: "\u{0}\t", probability: 0.5),
        ]
        let model = "m\"/@1"
        let pieces =
            Prediction.jsonOpening(model: model) + Prediction.jsonElements(Array(predictions.prefix(1)))
            + Prediction.jsonSeparator + Prediction.jsonElements(Array(predictions.dropFirst()))
            + Prediction.jsonClosing
        #expect(pieces == Prediction.json(predictions, model: model))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(pieces.utf8)) as? [String: Any])
        #expect(object["model"] as? String == model)
        #expect((object["predictions"] as? [[String: Any]])?.map { $0["text"] as? String } == predictions.map(\.text))
    }

    /// A table row is one line: a line break in the text (an argument may hold one) broke the columns.
    @Test func tableRowsHoldNoLineBreak() {
        let table = Prediction.table([
            Prediction(text: "좋아요\n최고", probability: 0.9), Prediction(text: "별로\r\n예요\u{2028}!", probability: 0.1),
        ])
        #expect(table == "0.9000  positive  좋아요 최고\n0.1000  negative  별로 예요 !", "\(table.debugDescription)")
    }

    /// The table is for a terminal: an escape sequence, a NUL, a bell or a DEL in a review's text is shown as
    /// U+FFFD, not sent raw (an ESC [2J in a review cleared the operator's screen), and a tab as a space. The JSON
    /// output keeps the text exactly.
    @Test func tableRowsSendNoControlCharacterToTheTerminal() {
        let table = Prediction.table([Prediction(text: "a\u{1B}[2Jb\u{0}c\u{7}d\u{7F}e\tf\u{9B}g", probability: 0.9)])
        #expect(
            table == "0.9000  positive  a\u{FFFD}[2Jb\u{FFFD}c\u{FFFD}d\u{FFFD}e f\u{FFFD}g",
            "\(table.debugDescription)")
    }

    /// Every line break a TSV reader may split on (CR, CRLF, VT, FF, NEL, U+2028, U+2029), not only "\n", becomes a
    /// space: a CR inside the text split the row for readers that take "\r" as a line end.
    @Test func tsvRowsHoldNoLineBreakOfAnyKind() {
        let breaks = ["\r", "\r\n", "\n", "\u{0B}", "\u{0C}", "\u{85}", "\u{2028}", "\u{2029}", "\t"]
        for separator in breaks {
            let tsv = Prediction.tsv([Prediction(text: "좋아요" + separator + "최고", probability: 0.9)])
            #expect(
                tsv == "0.900000\tpositive\t좋아요 최고\n",
                "separator \(separator.debugDescription): \(tsv.debugDescription)")
        }
    }
}
