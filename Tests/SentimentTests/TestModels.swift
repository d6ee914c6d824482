import Foundation

@testable import Sentiment

/// Small hand-written data and untrained models for tests.
enum TestModels {
    static let positive = [
        "정말 좋아요 최고예요", "배송 빠르고 품질 좋아요", "재구매 의사 있어요", "가성비 최고 만족합니다",
        "사이즈 딱 맞고 예뻐요", "포장 꼼꼼하고 친절해요", "색감이 예뻐요 강추", "완전 만족 ㅎㅎ",
    ]
    static let negative = [
        "너무 별로예요 실망", "배송 늦고 포장 엉망", "품질 최악 환불 원해요", "사이즈 안 맞아요 별로",
        "색이 사진이랑 달라요 실망", "불친절하고 느려요", "다시는 안 사요 최악", "돈 아까워요 ㅠㅠ",
    ]

    static var examples: [LabeledText] {
        positive.map { LabeledText(text: $0, positive: true) } + negative.map { LabeledText(text: $0, positive: false) }
    }

    /// An untrained model over the test vocabulary.
    static func untrained(
        unit: TokenUnit = .syllable, pooling: OutputPooling = .last, layers: Int = 2, seed: UInt64 = 3
    ) -> SentimentModel {
        let tokenizer = Tokenizer.train(unit: unit, texts: positive + negative, minimumCount: 1, bigramMinimumCount: 1)
        let config = NetworkConfig(
            vocabularySize: tokenizer.vocabulary.count, embeddingSize: 8, filters: 6, kernelSize: 3, poolSize: 2,
            lstmUnits: 5, lstmLayers: layers, outputPooling: pooling)
        return SentimentModel(
            name: "test", tokenizer: tokenizer, network: Network(config: config, seed: seed), temperature: 1.25,
            training: nil)
    }

    /// A small trainer that learns the hand-written data.
    static func trainer(threads: Int = 2, epochs: Int = 40, seed: UInt64 = 5) -> SentimentTrainer {
        var settings = ModelSettings()
        settings.embeddingSize = 16
        settings.filters = 16
        settings.lstmUnits = 12
        settings.lstmLayers = 1
        settings.outputPooling = .max
        settings.vocabularyMinimumCount = 1
        var options = TrainingOptions()
        options.epochs = epochs
        options.batchSize = 4
        options.learningRate = 0.01
        options.validationFraction = 0
        options.patience = 0
        options.threads = threads
        options.seed = seed
        return SentimentTrainer(name: "tiny", settings: settings, options: options)
    }
}
