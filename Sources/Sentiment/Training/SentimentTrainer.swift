import Foundation

/// Trains a ``SentimentModel``: builds the vocabulary from the training split, then runs Adam over
/// seeded, shuffled mini-batches, each split between worker threads whose gradients are summed in a
/// fixed order (same seed and thread count, same model). After every epoch it scores the
/// validation split and keeps the best weights; it stops early when validation stops improving,
/// and finally fits a calibration temperature on the validation split.
public struct SentimentTrainer: Sendable {
    /// Name stored in the model (and its version id).
    public var name: String
    /// Network shape and tokenizer settings.
    public var settings: ModelSettings
    /// Optimiser, schedule, regularisation, validation and threads.
    public var options: TrainingOptions
    /// The command line, recorded in the model file.
    public var command: String?

    /// A trainer.
    public init(name: String, settings: ModelSettings, options: TrainingOptions, command: String? = nil) {
        self.name = name
        self.settings = settings
        self.options = options
        self.command = command
    }

    /// Trains a model on `input`, reporting progress to `observer` (called on the caller's thread).
    public func train(
        _ input: TrainingInput, observer: (TrainingEvent) -> Void = { _ in }
    ) throws(SentimentModelError) -> SentimentModel {
        if let problem = options.problem ?? settings.problem { throw .invalidConfiguration(problem) }
        try BLASRuntime.checkCPU()
        let start = RunStart()
        let data = try SplitData(input, options: options)
        let tokenizer = settings.tokenizer(texts: data.kept.map(\.text) + input.adaptation.map(\.text))
        let config = settings.network(vocabularySize: tokenizer.vocabulary.count)
        if let problem = config.problem { throw .invalidConfiguration(problem) }
        return optimise(
            Network(config: config, seed: options.seed), tokenizer: tokenizer, data: data, sources: input.sources,
            base: nil, start: start, observer: observer)
    }

    /// The training data after the validation split: `kept` is what remains of the examples, `training` adds the
    /// repeated adaptation reviews, and `targets` holds what each training review is trained towards (its label,
    /// or its label blended with the teachers' probability).
    struct SplitData {
        let kept: [LabeledText]
        let training: [LabeledText]
        let targets: [Float]
        let validation: [LabeledText]
        /// The versions of the teachers blended into `targets`.
        let teachers: [String]

        init(_ input: TrainingInput, options: TrainingOptions) throws(SentimentModelError) {
            (kept, validation) = DatasetSplit.split(
                input.examples, holdOut: options.validationFraction, seed: options.splitSeed)
            let repeats = max(0, input.adaptationRepeats)
            var training = kept
            for _ in 0..<repeats { training += input.adaptation }
            guard !training.isEmpty else {
                throw .invalidConfiguration("there is no training data left after the validation split")
            }
            self.training = training
            let blended = options.teacherWeight > 0 ? input.teachers : []
            // Each adaptation review is scored once, however often it repeats.
            let adaptationTargets = TeacherTargets.targets(
                for: input.adaptation, teachers: blended, weight: options.teacherWeight)
            targets =
                TeacherTargets.targets(for: kept, teachers: blended, weight: options.teacherWeight)
                + Array([[Float]](repeating: adaptationTargets, count: repeats).joined())
            teachers = blended.map(\.version)
        }
    }

    /// When a run started, for its record.
    struct RunStart {
        let clock = ContinuousClock.now
        let date = Date(timeIntervalSince1970: Foundation.floor(Date().timeIntervalSince1970))
    }

    /// Runs Adam from `initial` over the training data, keeps the best epoch's weights, calibrates and builds the
    /// model; `base` is the version of the model whose weights `initial` holds, when fine-tuning.
    func optimise(
        _ initial: Network, tokenizer: Tokenizer, data: SplitData, sources: [TrainingRecord.Source], base: String?,
        start: RunStart, observer: (TrainingEvent) -> Void
    ) -> SentimentModel {
        var network = initial
        let training = data.training
        let validation = data.validation
        let workers = options.threads
        let trainIds = Self.encode(training.map(\.text), tokenizer: tokenizer, workers: workers)
        let validationIds = Self.encode(validation.map(\.text), tokenizer: tokenizer, workers: workers)
        let trainLabels = data.targets
        let validationLabels = validation.map(\.target)

        let batchesPerEpoch = (training.count + options.batchSize - 1) / options.batchSize
        observer(
            .started(
                trainingExamples: training.count, validationExamples: validation.count,
                vocabularySize: tokenizer.vocabulary.count, parameters: network.parameterCount,
                batchesPerEpoch: batchesPerEpoch))

        let step = DataParallelStep(
            network: network, idsPerPosition: tokenizer.idsPerPosition, workers: workers, dropout: dropoutRates)
        var optimizer = AdamOptimizer(parameterCount: network.parameterCount, weightDecay: options.weightDecay)
        let totalSteps = options.epochs * batchesPerEpoch
        var history: [EpochRecord] = []
        var best: (epoch: Int, accuracy: Double, loss: Double, parameters: [Float])?
        var shuffler = SeededGenerator(seed: options.seed &+ 0x5348_5546)
        var average =
            options.weightAveraging > 0 ? WeightAverage(network.parameters, decay: options.weightAveraging) : nil
        var epochsWithoutImprovement = 0

        for epoch in 1...options.epochs {
            let order = Array(0..<training.count).shuffled(using: &shuffler)
            let epochStart = ContinuousClock.now
            var lossSum = 0.0
            var correct = 0
            var seen = 0
            for batch in 0..<batchesPerEpoch {
                let indices = Array(
                    order[(batch * options.batchSize)..<min((batch + 1) * options.batchSize, order.count)])
                let globalStep = (epoch - 1) * batchesPerEpoch + batch
                let result = step.run(
                    sequences: indices.map { trainIds[$0] }, labels: indices.map { trainLabels[$0] },
                    parameters: network.parameters, seed: Self.stepSeed(options.seed, globalStep))
                lossSum += result.loss
                correct += result.correct
                seen += indices.count
                step.clip(to: options.clipNorm)
                let rate =
                    options.learningRate
                    * options.schedule.factor(
                        progress: Double(globalStep) / Double(max(1, totalSteps)),
                        final: options.finalLearningRateFraction)
                step.withGradients { gradients in
                    optimizer.step(
                        parameters: &network.parameters, gradients: gradients, learningRate: rate, workers: workers)
                }
                average?.update(with: network.parameters, workers: workers)
                if batch % 20 == 19 || batch == batchesPerEpoch - 1 {
                    observer(
                        .progress(
                            TrainingProgress(
                                epoch: epoch, epochs: options.epochs, batch: batch + 1, batches: batchesPerEpoch,
                                reviews: seen, elapsed: secondsElapsed(since: epochStart), loss: lossSum / Double(seen),
                                accuracy: Double(correct) / Double(seen))))
                }
            }
            let seconds = secondsElapsed(since: epochStart)
            var evaluated = network
            if let average { evaluated.parameters = average.values }
            let logits = BatchScorer(network: evaluated, tokenizer: tokenizer).logits(
                encoded: validationIds, threads: workers)
            let validationLoss = BinaryCrossEntropy.meanLoss(logits: logits, labels: validationLabels)
            let validationAccuracy = Self.accuracy(logits: logits, labels: validationLabels)
            let record = EpochRecord(
                epoch: epoch, trainingLoss: lossSum / Double(max(seen, 1)),
                trainingAccuracy: Double(correct) / Double(max(seen, 1)),
                validationLoss: validationLoss, validationAccuracy: validationAccuracy, seconds: seconds,
                reviewsPerSecond: Double(seen) / max(seconds, 1e-9))
            history.append(record)
            // Without a validation split, the latest weights are the ones to keep.
            let improved =
                validation.isEmpty
                || (best.map {
                    validationAccuracy > $0.accuracy || (validationAccuracy == $0.accuracy && validationLoss < $0.loss)
                }
                    ?? true)
            if improved {
                best = (epoch, validationAccuracy, validationLoss, evaluated.parameters)
                epochsWithoutImprovement = 0
            } else {
                epochsWithoutImprovement += 1
            }
            observer(.epochFinished(record, best: improved))
            if options.patience > 0 && epochsWithoutImprovement >= options.patience && epoch < options.epochs {
                observer(.stoppedEarly(afterEpoch: epoch))
                break
            }
        }

        if let best { network.parameters = best.parameters }
        network.parameters = network.parameters.map(settings.weightStorage.round)
        var temperature: Float = 1
        var validationMetrics: BinaryMetrics?
        if !validation.isEmpty {
            let logits = BatchScorer(network: network, tokenizer: tokenizer).logits(
                encoded: validationIds, threads: workers)
            let positive = validation.map(\.positive)
            if options.calibrate {
                temperature = TemperatureScaling.fit(logits: logits, positive: positive)
                observer(.calibrated(temperature: temperature))
            }
            validationMetrics = BinaryMetrics(
                probabilities: logits.map { Activation.sigmoid($0 / temperature) }, positive: positive)
        }
        let record = TrainingRecord(
            sources: sources, trainingExamples: training.count, validationExamples: validation.count,
            options: options, vocabularyMinimumCount: settings.vocabularyMinimumCount, startedAt: start.date,
            wallSeconds: secondsElapsed(since: start.clock), epochs: history, bestEpoch: best?.epoch ?? 0,
            validation: validationMetrics, command: command, base: base,
            teachers: data.teachers.isEmpty ? nil : data.teachers)
        return SentimentModel(
            name: name, tokenizer: tokenizer, network: network, temperature: temperature, training: record,
            storage: settings.weightStorage)
    }

    private var dropoutRates: DropoutRates {
        DropoutRates(embedding: options.embeddingDropout, features: options.featureDropout)
    }

    /// Encodes texts on `workers` threads.
    static func encode(_ texts: [String], tokenizer: Tokenizer, workers: Int) -> [[Int32]] {
        var output = [[Int32]](repeating: [], count: texts.count)
        output.withUnsafeMutableBufferPointer { buffer in
            let shared = SharedPointer(base: buffer.baseAddress.unsafelyUnwrapped)
            let count = texts.count
            Parallel.run(workers: workers) { worker in
                for i in stride(from: worker, to: count, by: workers) { shared.base[i] = tokenizer.encode(texts[i]) }
            }
        }
        return output
    }

    static func accuracy(logits: [Float], labels: [Float]) -> Double {
        guard !logits.isEmpty else { return 0 }
        let correct = zip(logits, labels).reduce(0) { $0 + (($1.0 >= 0) == ($1.1 >= 0.5) ? 1 : 0) }
        return Double(correct) / Double(logits.count)
    }

    /// A distinct, reproducible seed for the dropout masks of one optimiser step.
    static func stepSeed(_ seed: UInt64, _ step: Int) -> UInt64 {
        seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(step) &* 0xBF58_476D_1CE4_E5B9
    }
}
