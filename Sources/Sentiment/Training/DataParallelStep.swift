/// One optimiser step's gradient computation, data-parallel: the mini-batch is split into one
/// shard per worker (balanced by token count, deterministically), every worker runs forward and
/// backward on its shard into its own gradient buffer, and the buffers are summed in worker order.
/// The result depends on the seed and the worker count only, never on thread timing.
///
/// A batch touches few rows of a large embedding table, so the embedding part of the gradient is
/// handled by row: only the rows a worker's shard used are cleared, summed and measured for
/// clipping (the others are zero in every buffer). The optimiser still sees the whole gradient.
final class DataParallelStep {
    let network: Network
    let workers: Int
    let dropout: DropoutRates
    let idsPerPosition: Int
    private let workspaces: [NetworkWorkspace]
    /// `workers` gradient buffers of `network.parameterCount` floats each; buffer 0 ends up holding the sum.
    private let gradients: UnsafeMutablePointer<Float>
    /// Embedding rows each worker's shard used in the last step (sorted, distinct).
    private var touched: [[Int]]
    /// Embedding rows any worker used in the last step: the non-zero embedding rows of buffer 0.
    private var touchedByAny: [Int] = []

    init(network: Network, idsPerPosition: Int, workers: Int, dropout: DropoutRates) {
        BLASRuntime.prepare()
        self.network = network
        self.idsPerPosition = idsPerPosition
        self.workers = max(1, workers)
        self.dropout = dropout
        workspaces = (0..<self.workers).map { _ in NetworkWorkspace() }
        gradients = .allocate(capacity: self.workers * network.parameterCount)
        gradients.initialize(repeating: 0, count: self.workers * network.parameterCount)
        touched = [[Int]](repeating: [], count: self.workers)
    }

    deinit { gradients.deallocate() }

    /// Where the embedding table lies in the parameter vector, and its row width.
    private var embedding: (start: Int, end: Int, width: Int) {
        let width = network.config.embeddingSize
        let start = network.layout.embedding
        return (start, start + network.config.vocabularySize * width, width)
    }

    /// Computes the gradient of the mean loss over the batch at `parameters`; returns the summed
    /// loss and the number of reviews classified correctly (before the update).
    func run(sequences: [[Int32]], labels: [Float], parameters: [Float], seed: UInt64) -> (loss: Double, correct: Int) {
        let shards = Self.shards(lengths: sequences.map(\.count), count: workers)
        let count = network.parameterCount
        let normalizer = Float(sequences.count)
        var losses = [Double](repeating: 0, count: workers)
        var corrects = [Int](repeating: 0, count: workers)
        var touchedNow = [[Int]](repeating: [], count: workers)
        let network = self.network
        let workspaces = self.workspaces
        let dropout = self.dropout
        let idsPerPosition = self.idsPerPosition
        let embedding = self.embedding
        // Rows to clear in each buffer: what the last step left there.
        let stale = (0..<workers).map { $0 == 0 ? touchedByAny : touched[$0] }
        let gradientBase = SharedPointer(base: gradients)
        losses.withUnsafeMutableBufferPointer { lossBuffer in
            corrects.withUnsafeMutableBufferPointer { correctBuffer in
                touchedNow.withUnsafeMutableBufferPointer { touchedBuffer in
                    let lossOut = SharedPointer(base: lossBuffer.baseAddress.unsafelyUnwrapped)
                    let correctOut = SharedPointer(base: correctBuffer.baseAddress.unsafelyUnwrapped)
                    let touchedOut = SharedPointer(base: touchedBuffer.baseAddress.unsafelyUnwrapped)
                    Parallel.run(workers: workers) { worker in
                        let g = gradientBase.base + worker * count
                        g.update(repeating: 0, count: embedding.start)
                        (g + embedding.end).update(repeating: 0, count: count - embedding.end)
                        for row in stale[worker] {
                            (g + embedding.start + row * embedding.width).update(repeating: 0, count: embedding.width)
                        }
                        let shard = shards[worker]
                        guard !shard.isEmpty else { return }
                        let shardSequences = shard.map { sequences[$0] }
                        touchedOut.base[worker] = Self.rows(of: shardSequences)
                        let batch = TokenBatch(shardSequences, idsPerPosition: idsPerPosition)
                        let shardLabels = shard.map { labels[$0] }
                        var generator = SeededGenerator(seed: seed &+ UInt64(worker) &* 0x2545_F491_4F6C_DD1D)
                        parameters.withUnsafeBufferPointer { p in
                            let base = p.baseAddress.unsafelyUnwrapped
                            let workspace = workspaces[worker]
                            let logits = network.forward(
                                batch, parameters: base, workspace: workspace, training: true, dropout: dropout,
                                generator: &generator)
                            var correct = 0
                            for (b, y) in shardLabels.enumerated() where (logits[b] >= 0) == (y >= 0.5) { correct += 1 }
                            var d = [Float](repeating: 0, count: shard.count)
                            let loss = BinaryCrossEntropy.lossAndGradient(
                                logits: logits, labels: shardLabels, normalizer: normalizer, dLogits: &d)
                            network.backward(batch, parameters: base, workspace: workspace, dLogits: d, gradients: g)
                            lossOut.base[worker] = loss
                            correctOut.base[worker] = correct
                        }
                    }
                }
            }
        }
        touched = touchedNow
        touchedByAny = Array(Set(touchedNow.joined())).sorted()
        reduce()
        return (losses.reduce(0, +), corrects.reduce(0, +))
    }

    /// Scales the summed gradient down so that its global L2 norm is at most `maximum` (0: no clipping).
    func clip(to maximum: Float) {
        guard maximum > 0 else { return }
        let count = network.parameterCount
        let embedding = self.embedding
        var squares = 0.0
        func add(_ range: Range<Int>) {
            for i in range { squares += Double(gradients[i]) * Double(gradients[i]) }
        }
        // Untouched embedding rows are zero: they add nothing to the norm and need no scaling.
        add(0..<embedding.start)
        add(embedding.end..<count)
        for row in touchedByAny {
            let start = embedding.start + row * embedding.width
            add(start..<(start + embedding.width))
        }
        let norm = Float(squares.squareRoot())
        guard norm > maximum, norm.isFinite else { return }
        let scale = maximum / norm
        func scaleRange(_ range: Range<Int>) {
            for i in range { gradients[i] *= scale }
        }
        scaleRange(0..<embedding.start)
        scaleRange(embedding.end..<count)
        for row in touchedByAny {
            let start = embedding.start + row * embedding.width
            scaleRange(start..<(start + embedding.width))
        }
    }

    /// Lends the summed gradient.
    func withGradients(_ body: (UnsafePointer<Float>) -> Void) { body(gradients) }

    /// Sums the workers' gradients into buffer 0, worker by worker: the dense part in parallel over
    /// parameter ranges, the embedding rows each worker used one by one.
    private func reduce() {
        guard workers > 1 else { return }
        let count = network.parameterCount
        let workers = self.workers
        let embedding = self.embedding
        let base = SharedPointer(base: gradients)
        let dense = [0..<embedding.start, embedding.end..<count]
        Parallel.run(workers: workers) { part in
            for range in dense {
                let chunk = (range.count + workers - 1) / workers
                let start = range.lowerBound + part * chunk
                let end = min(start + chunk, range.upperBound)
                guard start < end else { continue }
                for worker in 1..<workers {
                    let source = base.base + worker * count
                    for i in start..<end { base.base[i] += source[i] }
                }
            }
        }
        for worker in 1..<workers {
            let source = gradients + worker * count
            for row in touched[worker] {
                let start = embedding.start + row * embedding.width
                for i in start..<(start + embedding.width) { gradients[i] += source[i] }
            }
        }
    }

    /// The distinct embedding rows (token ids other than 0) of some encoded reviews, sorted.
    static func rows(of sequences: [[Int32]]) -> [Int] {
        var rows = Set<Int32>()
        for sequence in sequences {
            for id in sequence where id != Vocabulary.nothing { rows.insert(id) }
        }
        return rows.map(Int.init).sorted()
    }

    /// Splits batch positions `0..<lengths.count` into `count` shards of similar total length:
    /// longest first, each to the lightest shard so far (ties to the lower shard).
    static func shards(lengths: [Int], count: Int) -> [[Int]] {
        var shards = [[Int]](repeating: [], count: count)
        var load = [Int](repeating: 0, count: count)
        let order = lengths.indices.sorted { lengths[$0] != lengths[$1] ? lengths[$0] > lengths[$1] : $0 < $1 }
        for index in order {
            var lightest = 0
            for s in 1..<count where load[s] < load[lightest] { lightest = s }
            shards[lightest].append(index)
            load[lightest] += lengths[index]
        }
        return shards.map { $0.sorted() }
    }
}
