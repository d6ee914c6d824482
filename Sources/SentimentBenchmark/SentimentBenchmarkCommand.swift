import ArgumentParser
import Foundation
import Sentiment

/// `ondo-sentiment-benchmark`: the Swift side of `benchmarks/sentiment.sh`. Measures inference at
/// batch 1 and 256, training throughput and the machine's sgemm rate for a model, prints JSON, and
/// exports token ids and weights for the PyTorch reference.
@main
struct SentimentBenchmarkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ondo-sentiment-benchmark",
        abstract: "Measure the sentiment engine's throughput (benchmarks/sentiment.sh runs it).")

    @Option(help: "Model file, for --config model (default: the shipped model).") var model: String?
    @Option(
        help: """
            Network to measure: 'model' (the model file's) or 'study' (the study's configuration, syllable tokens, \
            vocabulary from the data, fresh weights).
            """)
    var config = "model"
    @Option(help: "Labelled data file whose reviews are tokenised and scored.") var data: String
    @Option(help: "Reviews used from the data file.") var count = 20_000
    @Option(help: "Write token ids, labels, weights and logits for the PyTorch reference here, then stop.")
    var export: String?
    @Option(help: "Seconds per inference measurement.") var seconds = 3.0
    @Option(help: "Training steps measured.") var trainingSteps = 150
    @Option(help: "Training threads.") var threads = 2
    @Option(help: "What to measure: all, batch1, batch1_text, batch256, training or sgemm.") var measure = "all"

    func run() throws {
        BLASThreads.set(1)
        let examples = Array(try DatasetReader.read(path: data).examples.prefix(count))
        let measured: SentimentModel
        switch config {
        case "model": measured = try SentimentModel.load(contentsOf: ModelLocator.locate(explicit: model))
        case "study":
            measured = SentimentModel.untrained(name: "study", settings: ModelSettings(), texts: examples.map(\.text))
        default: throw ValidationError("--config is 'model' or 'study'")
        }
        let encoded = examples.map { measured.tokenizer.encode($0.text) }
        let labels = examples.map(\.positive)
        let training = measured.training?.options ?? TrainingOptions()
        var options = TrainingOptions()
        options.batchSize = training.batchSize
        options.learningRate = training.learningRate
        options.embeddingDropout = training.embeddingDropout
        options.featureDropout = training.featureDropout
        options.clipNorm = training.clipNorm
        options.threads = threads
        if let export {
            try ReferenceExport.write(
                model: measured, encoded: encoded, labels: labels, options: options, to: URL(fileURLWithPath: export))
            return
        }
        let tokens = encoded.map { $0.count / measured.tokenizer.idsPerPosition }
        let meanFLOPs =
            tokens.reduce(0.0) { $0 + SpeedBenchmark.forwardFLOPs(model: measured, tokens: $1) } / Double(tokens.count)
        let measurements: [String: () -> Double] = [
            "batch1": {
                SpeedBenchmark.inference(
                    model: measured, encoded: Array(encoded.prefix(3000)), batchSize: 1, threads: 1,
                    minimumSeconds: seconds)
            },
            "batch1_text": {
                SpeedBenchmark.inferenceFromText(
                    model: measured, texts: examples.prefix(3000).map(\.text), minimumSeconds: seconds)
            },
            "batch256": {
                SpeedBenchmark.inference(
                    model: measured, encoded: encoded, batchSize: 256, threads: threads, minimumSeconds: seconds)
            },
            "training": {
                SpeedBenchmark.training(
                    model: measured, encoded: encoded, labels: labels, options: options, steps: trainingSteps)
            },
            "sgemm_gflops": { SpeedBenchmark.sgemmGFLOPS(size: 256, minimumSeconds: 1) },
        ]
        let chosen = measure == "all" ? Array(measurements.keys) : [measure == "sgemm" ? "sgemm_gflops" : measure]
        var result: [String: Double] = [
            "forward_flops_per_review": meanFLOPs,
            "mean_tokens": Double(tokens.reduce(0, +)) / Double(tokens.count),
            "parameters": Double(measured.parameterCount),
            "batch_size": Double(options.batchSize),
        ]
        for name in chosen.sorted() {
            guard let run = measurements[name] else { throw ValidationError("unknown measurement \(measure)") }
            result[name] = run()
        }
        let output: [String: String] = result.mapValues { String($0) }.merging(
            ["openblas_core": BLASRuntime.coreName, "config": config, "model": measured.version]
        ) { a, _ in a }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        print(String(decoding: try encoder.encode(output), as: UTF8.self))
    }
}
