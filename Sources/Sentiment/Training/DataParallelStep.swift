/// One optimiser step's gradient computation, data-parallel: the mini-batch is split into one
/// shard per worker (balanced by token count, deterministically), every worker runs forward and
/// backward on its shard into its own gradient buffer, and the buffers are summed in worker order.
/// The result depends on the seed and the worker count only, never on thread timing.
final class DataParallelStep {
    let network: Network
    let workers: Int
    let dropout: DropoutRates
    let idsPerPosition: Int
    private let workspaces: [NetworkWorkspace]
    /// `workers` gradient buffers of `network.parameterCount` floats each; buffer 0 ends up holding the sum.
    private let gradients: UnsafeMutablePointer<Float>

    init(network: Network, idsPerPosition: Int, workers: Int, dropout: DropoutRates) {
        BLASRuntime.prepare()
        self.network = network
        self.idsPerPosition = idsPerPosition
        self.workers = max(1, workers)
        self.dropout = dropout
        workspaces = (0..<max(1, workers)).map { _ in NetworkWorkspace() }
        gradients = .allocate(capacity: max(1, workers) * network.parameterCount)
    }

    deinit { gradients.deallocate() }

    /// Computes the gradient of the mean loss over the batch at `parameters`; returns the summed
    /// loss and the number of reviews classified correctly (before the update).
    func run(sequences: [[Int32]], labels: [Float], parameters: [Float], seed: UInt64) -> (loss: Double, correct: Int) {
        let shards = Self.shards(lengths: sequences.map(\.count), count: workers)
        let count = network.parameterCount
        let normalizer = Float(sequences.count)
        var losses = [Double](repeating: 0, count: workers)
        var corrects = [Int](repeating: 0, count: workers)
        let network = self.network
        let workspaces = self.workspaces
        let dropout = self.dropout
        let idsPerPosition = self.idsPerPosition
        let gradientBase = SharedPointer(base: gradients)
        losses.withUnsafeMutableBufferPointer { lossBuffer in
            corrects.withUnsafeMutableBufferPointer { correctBuffer in
                let lossOut = SharedPointer(base: lossBuffer.baseAddress.unsafelyUnwrapped)
                let correctOut = SharedPointer(base: correctBuffer.baseAddress.unsafelyUnwrapped)
                Parallel.run(workers: workers) { worker in
                    let g = gradientBase.base + worker * count
                    g.update(repeating: 0, count: count)
                    let shard = shards[worker]
                    guard !shard.isEmpty else { return }
                    let batch = TokenBatch(shard.map { sequences[$0] }, idsPerPosition: idsPerPosition)
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
        reduce()
        return (losses.reduce(0, +), corrects.reduce(0, +))
    }

    /// Scales the summed gradient down so that its global L2 norm is at most `maximum` (0: no clipping).
    func clip(to maximum: Float) {
        guard maximum > 0 else { return }
        let count = network.parameterCount
        var squares = 0.0
        for i in 0..<count { squares += Double(gradients[i]) * Double(gradients[i]) }
        let norm = Float(squares.squareRoot())
        guard norm > maximum, norm.isFinite else { return }
        let scale = maximum / norm
        for i in 0..<count { gradients[i] *= scale }
    }

    /// Lends the summed gradient.
    func withGradients(_ body: (UnsafePointer<Float>) -> Void) { body(gradients) }

    /// Sums the workers' gradients into buffer 0, worker by worker, in parallel over parameter ranges.
    private func reduce() {
        guard workers > 1 else { return }
        let count = network.parameterCount
        let workers = self.workers
        let base = SharedPointer(base: gradients)
        let chunk = (count + workers - 1) / workers
        Parallel.run(workers: workers) { part in
            let start = part * chunk
            let end = min(start + chunk, count)
            guard start < end else { return }
            for worker in 1..<workers {
                let source = base.base + worker * count
                for i in start..<end { base.base[i] += source[i] }
            }
        }
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
