/// Scores many reviews with one network: cuts them into sub-batches and runs the sub-batches on
/// several threads, each with its own workspace. Each review's logit does not depend on which
/// others share its sub-batch (reviews are never padded).
struct BatchScorer: Sendable {
    /// Largest batch given to one forward pass (bounds the workspace's memory).
    static let subBatchSize = 256
    /// Smallest input worth spreading over several threads.
    static let parallelThreshold = 32

    let network: Network
    let tokenizer: Tokenizer
    /// Where workspaces come from and go back to between calls.
    var pool = WorkspacePool()

    /// One logit per text, in input order (tokenised on the worker threads).
    func logits(_ texts: [String], threads: Int) -> [Float] {
        logits(count: texts.count, threads: threads) { range in texts[range].map(tokenizer.encode) }
    }

    /// One logit per already-encoded review, in input order.
    func logits(encoded: [[Int32]], threads: Int) -> [Float] {
        logits(count: encoded.count, threads: threads) { range in Array(encoded[range]) }
    }

    private func logits(count: Int, threads: Int, encode: @Sendable (Range<Int>) -> [[Int32]]) -> [Float] {
        guard count > 0 else { return [] }
        BLASRuntime.prepare()
        var output = [Float](repeating: 0, count: count)
        if count <= Self.subBatchSize && (count < Self.parallelThreshold || threads <= 1) {
            // One forward pass on the calling thread: the path of a review arriving alone.
            let encoded = encode(0..<count)
            output.withUnsafeMutableBufferPointer { buffer in
                pool.with { score(encoded, workspace: $0, into: buffer.baseAddress.unsafelyUnwrapped) }
            }
            return output
        }
        let workers = count < Self.parallelThreshold ? 1 : max(1, threads)
        // Sub-batches no larger than `subBatchSize`, at least one per worker.
        let size = min(Self.subBatchSize, max(1, (count + workers - 1) / workers))
        let chunks = stride(from: 0, to: count, by: size).map { $0..<min($0 + size, count) }
        let active = min(workers, chunks.count)
        output.withUnsafeMutableBufferPointer { buffer in
            let shared = SharedPointer(base: buffer.baseAddress.unsafelyUnwrapped)
            Parallel.run(workers: active) { worker in
                pool.with { workspace in
                    for index in stride(from: worker, to: chunks.count, by: active) {
                        let chunk = chunks[index]
                        score(encode(chunk), workspace: workspace, into: shared.base + chunk.lowerBound)
                    }
                }
            }
        }
        return output
    }

    /// Runs one forward pass over encoded reviews and writes their logits to `output`.
    func score(_ encoded: [[Int32]], workspace: NetworkWorkspace, into output: UnsafeMutablePointer<Float>) {
        let batch = TokenBatch(encoded, idsPerPosition: tokenizer.idsPerPosition)
        var generator = SeededGenerator(seed: 0)  // unused: no dropout when scoring
        network.parameters.withUnsafeBufferPointer { p in
            let logits = network.forward(
                batch, parameters: p.baseAddress.unsafelyUnwrapped, workspace: workspace, generator: &generator)
            output.update(from: logits, count: encoded.count)
        }
    }
}
