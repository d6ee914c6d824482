import Foundation
import Testing

@testable import Sentiment

/// The model shipped in the repository (`models/`), on hand-written reviews of obvious polarity
/// about what a shop's customers write about: delivery, quality, size, price, packaging, service, colour.
@Suite struct ShippedModelTests {
    static let modelURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("models").appendingPathComponent(SentimentModel.defaultFileName)

    static let positive = [
        "배송도 빠르고 품질도 너무 좋아요",
        "재구매 의사 있어요 최고",
        "사이즈 딱 맞고 너무 편해요 만족합니다",
        "가격 대비 품질이 훌륭해요 강추합니다",
        "포장이 꼼꼼하게 잘 되어 있어서 좋았어요",
        "색상이 사진이랑 똑같고 예뻐요",
    ]
    static let negative = [
        "배송이 너무 늦고 포장도 엉망이에요",
        "품질이 너무 안 좋아요 실망입니다",
        "사이즈가 너무 작아서 못 입어요 환불해주세요",
        "가격만 비싸고 완전 별로예요",
        "고객센터가 불친절하고 답변도 없어요",
        "색상이 사진과 완전 달라요 최악",
    ]

    @Test func loadsAndIdentifiesItself() throws {
        let model = try SentimentModel.load(contentsOf: Self.modelURL)
        #expect(model.version.hasPrefix("ondo-sentiment-ko@"))
        #expect(model.training != nil, "the shipped model records how it was trained")
    }

    @Test func classifiesObviousReviews() throws {
        let model = try SentimentModel.load(contentsOf: Self.modelURL)
        let positive = model.predict(Self.positive)
        let negative = model.predict(Self.negative)
        for (text, p) in zip(Self.positive, positive) { #expect(p > 0.5, "\(text): \(p)") }
        for (text, p) in zip(Self.negative, negative) { #expect(p < 0.5, "\(text): \(p)") }
    }

    @Test func theIssuesTwoExamplesAreClearlyClassified() throws {
        let model = try SentimentModel.load(contentsOf: Self.modelURL)
        let p = model.predict(["배송이 너무 늦고 포장도 엉망이에요", "재구매 의사 있어요 최고"])
        #expect(p[0] < 0.2, "clearly negative: \(p[0])")
        #expect(p[1] > 0.8, "clearly positive: \(p[1])")
    }

    @Test func isFoundByTheLocatorFromTheRepository() throws {
        let repository = Self.modelURL.deletingLastPathComponent().deletingLastPathComponent()
        let found = try ModelLocator.locate(
            explicit: nil, environment: [:], executable: nil,
            currentDirectory: repository.appendingPathComponent("Sources"))
        #expect(found.standardizedFileURL.path == Self.modelURL.standardizedFileURL.path)
    }
}
