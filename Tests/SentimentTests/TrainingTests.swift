import Testing

@testable import Sentiment

@Suite struct TrainingTests {
    @Test func overfitsATinyDataset() throws {
        let model = try TestModels.trainer(epochs: 40).train(TrainingInput(examples: TestModels.examples))
        let metrics = model.evaluate(TestModels.examples)
        #expect(metrics.accuracy == 1, "every training review classified correctly")
        #expect(metrics.logLoss < 0.1)
        let first = try #require(model.training?.epochs.first)
        let last = try #require(model.training?.epochs.last)
        #expect(last.trainingLoss < first.trainingLoss / 5)
    }

    @Test func sameSeedAndThreadsGiveTheSameModel() throws {
        let input = TrainingInput(examples: TestModels.examples)
        var trainer = TestModels.trainer(threads: 2, epochs: 3)
        trainer.options.embeddingDropout = 0.1
        trainer.options.featureDropout = 0.2
        let a = try trainer.train(input)
        let b = try trainer.train(input)
        #expect(a.network.parameters == b.network.parameters)
        trainer.options.seed += 1
        let c = try trainer.train(input)
        #expect(a.network.parameters != c.network.parameters)
    }

    @Test func workersSumToTheSingleThreadedGradientStepAfterStep() {
        let model = TestModels.untrained(unit: .syllableBigram, layers: 1)
        let batches = [Array(TestModels.examples.prefix(9)), Array(TestModels.examples.suffix(7))]
        let one = DataParallelStep(network: model.network, idsPerPosition: 2, workers: 1, dropout: .none)
        let three = DataParallelStep(network: model.network, idsPerPosition: 2, workers: 3, dropout: .none)
        // Two different batches in a row: rows used by the first must not linger in the second.
        for batch in batches {
            let encoded = batch.map { model.tokenizer.encode($0.text) }
            let labels = batch.map(\.target)
            let a = one.run(sequences: encoded, labels: labels, parameters: model.network.parameters, seed: 1)
            let b = three.run(sequences: encoded, labels: labels, parameters: model.network.parameters, seed: 1)
            #expect(abs(a.loss - b.loss) < 1e-4)
            var ga: [Float] = []
            var gb: [Float] = []
            one.withGradients { ga = Array(UnsafeBufferPointer(start: $0, count: model.parameterCount)) }
            three.withGradients { gb = Array(UnsafeBufferPointer(start: $0, count: model.parameterCount)) }
            let worst = zip(ga, gb).map { abs($0 - $1) }.max() ?? 0
            #expect(worst < 1e-5, "largest difference \(worst)")
            #expect(ga.contains { $0 != 0 })
        }
    }

    @Test func shardingBalancesTokensDeterministically() {
        // Longest first, each to the lighter shard: 10 | 7, 3 | then 3 to the first (tie), 2 and 1 to the second.
        let shards = DataParallelStep.shards(lengths: [10, 1, 7, 3, 3, 2], count: 2)
        #expect(shards == [[0, 4], [1, 2, 3, 5]])
        #expect(DataParallelStep.shards(lengths: [4], count: 3) == [[0], [], []])
    }

    @Test func adaptationDataIsRepeatedAndNeverValidated() throws {
        var trainer = TestModels.trainer(epochs: 1)
        trainer.options.validationFraction = 0.25
        let adaptation = [LabeledText(text: "포장 최고", positive: true)]
        let model = try trainer.train(
            TrainingInput(examples: TestModels.examples, adaptation: adaptation, adaptationRepeats: 3))
        #expect(model.training?.validationExamples == 4)
        #expect(model.training?.trainingExamples == 12 + 3)
    }

    /// Without a validation split (`--validation-fraction 0`) no validation figure is shown: each epoch said
    /// "validation loss 0.0000, accuracy 0.00 %" and `info` "validation accuracy 0.00 %", measured on nothing.
    @Test func noValidationSplitShowsNoValidationFigures() throws {
        var reporter = TrainingReporter(interval: 0)
        var lines: [String] = []
        let model = try TestModels.trainer(epochs: 2).train(TrainingInput(examples: TestModels.examples)) { event in
            if let line = reporter.line(for: event), !line.transient { lines.append(line.text) }
        }
        #expect(model.training?.validationExamples == 0)
        let epochs = lines.filter { $0.hasPrefix("epoch ") }
        #expect(epochs.count == 2, "\(lines)")
        #expect(
            epochs.allSatisfy { !$0.contains("validation loss") && $0.contains("no validation split") }, "\(epochs)")
        let info = ModelInfo(model).text.split(separator: "\n").filter { $0.hasPrefix("epoch ") }
        #expect(info.count == 2 && info.allSatisfy { !$0.contains("validation accuracy") }, "\(info)")
    }

    @Test func refusesUnusableOptions() {
        var trainer = TestModels.trainer()
        trainer.options.epochs = 0
        #expect(throws: SentimentModelError.self) { try trainer.train(TrainingInput(examples: TestModels.examples)) }
    }

    /// The shape's sizes are checked in one place, ``ModelSettings/problem``: the command line asks it before it runs,
    /// and the trainer before it reads any data (it used to find them only once the vocabulary was built).
    @Test func refusesAnUnusableShapeBeforeReadingTheData() {
        #expect(ModelSettings().problem == nil)
        var trainer = TestModels.trainer()
        trainer.settings.lstmLayers = 0
        #expect(trainer.settings.problem == "the LSTM layers must be at least 1 (got 0)")
        trainer.settings.lstmLayers = 1
        trainer.settings.kernelSize = -2
        #expect(trainer.settings.problem == "the kernel size must be at least 1 (got -2)")
        // No data at all: the shape is refused first, not the data.
        #expect(throws: SentimentModelError.invalidConfiguration("the kernel size must be at least 1 (got -2)")) {
            try trainer.train(TrainingInput(examples: []))
        }
    }

    @Test func learningRateSchedules() {
        #expect(LearningRateSchedule.constant.factor(progress: 0.7, final: 0.1) == 1)
        #expect(abs(LearningRateSchedule.linear.factor(progress: 1, final: 0.1) - 0.1) < 1e-6)
        #expect(abs(LearningRateSchedule.cosine.factor(progress: 0.5, final: 0) - 0.5) < 1e-6)
    }
}
