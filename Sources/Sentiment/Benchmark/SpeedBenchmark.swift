import CBLAS
import Foundation

/// Throughput measurements of the engine, for `benchmarks/` (which compares them with the PyTorch
/// reference on the same token ids). Figures, not assertions: nothing here fails on a number.
public enum SpeedBenchmark {
    /// Reviews per second scoring `encoded` (token ids as ``Tokenizer/encode(_:)`` makes them) in
    /// batches of `batchSize`, repeating passes over the data until `minimumSeconds` have passed.
    public static func inference(
        model: SentimentModel, encoded: [[Int32]], batchSize: Int, threads: Int, minimumSeconds: Double
    ) -> Double {
        let batches = stride(from: 0, to: encoded.count, by: batchSize).map {
            Array(encoded[$0..<min($0 + batchSize, encoded.count)])
        }
        _ = model.logits(encoded: batches[0], threads: threads)  // warm-up: buffers grow once
        var reviews = 0
        let start = ContinuousClock.now
        repeat {
            for batch in batches {
                _ = model.logits(encoded: batch, threads: threads)
                reviews += batch.count
            }
        } while secondsElapsed(since: start) < minimumSeconds
        return Double(reviews) / secondsElapsed(since: start)
    }

    /// Reviews per second scoring raw texts one at a time, tokenisation included (the pipeline's
    /// path for a review arriving alone).
    public static func inferenceFromText(model: SentimentModel, texts: [String], minimumSeconds: Double) -> Double {
        _ = model.predict([texts[0]])
        var reviews = 0
        let start = ContinuousClock.now
        repeat {
            for text in texts {
                _ = model.predict([text])
                reviews += 1
            }
        } while secondsElapsed(since: start) < minimumSeconds
        return Double(reviews) / secondsElapsed(since: start)
    }

    /// Reviews per second of training steps (forward, backward, gradient reduction, clipping, Adam)
    /// on `encoded` with `labels`, for a fresh network shaped like `model`'s, `steps` mini-batches of
    /// `options.batchSize` after one warm-up step, on `options.threads` threads.
    public static func training(
        model: SentimentModel, encoded: [[Int32]], labels: [Bool], options: TrainingOptions, steps: Int
    ) -> Double {
        var network = Network(config: model.configuration, seed: options.seed)
        let step = DataParallelStep(
            network: network, idsPerPosition: model.tokenizer.idsPerPosition, workers: options.threads,
            dropout: DropoutRates(embedding: options.embeddingDropout, features: options.featureDropout))
        var optimizer = AdamOptimizer(parameterCount: network.parameterCount, weightDecay: options.weightDecay)
        let targets = labels.map { Float($0 ? 1 : 0) }
        var reviews = 0
        var start = ContinuousClock.now
        for index in 0...steps {
            if index == 1 {
                start = ContinuousClock.now
                reviews = 0
            }
            let first = (index * options.batchSize) % max(1, encoded.count - options.batchSize)
            let range = first..<min(first + options.batchSize, encoded.count)
            _ = step.run(
                sequences: Array(encoded[range]), labels: Array(targets[range]), parameters: network.parameters,
                seed: UInt64(index))
            step.clip(to: options.clipNorm)
            step.withGradients {
                optimizer.step(
                    parameters: &network.parameters, gradients: $0, learningRate: options.learningRate,
                    workers: options.threads)
            }
            reviews += range.count
        }
        return Double(reviews) / secondsElapsed(since: start)
    }

    /// The machine's single-precision matrix-product rate through OpenBLAS, GFLOP/s, on one thread:
    /// `size × size × size` products repeated for at least `minimumSeconds`.
    public static func sgemmGFLOPS(size: Int, minimumSeconds: Double) -> Double {
        BLASRuntime.prepare()
        let a = [Float](repeating: 0.5, count: size * size)
        let b = [Float](repeating: 0.25, count: size * size)
        var c = [Float](repeating: 0, count: size * size)
        var products = 0
        let start = ContinuousClock.now
        repeat {
            BLAS.gemm(m: size, n: size, k: size, a: a, lda: size, b: b, ldb: size, beta: 0, c: &c, ldc: size)
            products += 1
        } while secondsElapsed(since: start) < minimumSeconds
        return 2 * Double(size * size * size) * Double(products) / secondsElapsed(since: start) / 1e9
    }

    /// Floating-point operations of one forward pass of `model` over a review of `tokens` tokens
    /// (matrix products: two per multiply–add).
    public static func forwardFLOPs(model: SentimentModel, tokens: Int) -> Double {
        2 * Double(model.network.multiplyAdds(tokens: tokens))
    }
}

extension SentimentModel {
    /// An untrained model: a vocabulary learned from `texts` and freshly initialised weights of the
    /// shape `settings` gives (for speed measurements, where the weights do not matter).
    public static func untrained(
        name: String, settings: ModelSettings, texts: [String], seed: UInt64 = 1
    ) -> SentimentModel {
        let tokenizer = settings.tokenizer(texts: texts)
        return SentimentModel(
            name: name, tokenizer: tokenizer,
            network: Network(config: settings.network(vocabularySize: tokenizer.vocabulary.count), seed: seed),
            temperature: 1, training: nil)
    }

    /// Raw logits of already-encoded reviews (for benchmarks and reference comparisons).
    public func rawLogits(encoded: [[Int32]], threads: Int = 1) -> [Float] {
        logits(encoded: encoded, threads: threads)
    }
}
