/// Where every review of a batch lives in the network's activation matrices.
///
/// Reviews are never padded to a common length. Token-level activations (embedding, convolution)
/// are stored review after review with `gap` zero rows before, between and after them, so that one
/// matrix product per convolution tap covers the whole batch and no window reaches into a
/// neighbour (each review sees zeros past its ends, as a single review would). Step-level
/// activations (after max-pooling, in the LSTMs) are stored time step after time step, with the
/// reviews of a step sorted longest first, so that the reviews still running at step `t` are always
/// the first `stepCounts[t]` rows of that step (a packed sequence).
struct BatchLayout: Sendable {
    /// Number of reviews.
    let count: Int
    /// Token positions of review `b` are `tokenStarts[b] ..< tokenStarts[b + 1]` (as in the batch's ids).
    let tokenStarts: [Int]
    /// Zero rows around each review in the token-level matrices.
    let gap: Int
    /// Token-level row of review `b`'s first token.
    let tokenRows: [Int]
    /// Token-level rows, gaps included.
    let paddedTokens: Int
    /// LSTM time steps of each review: its token count divided by the pool size, rounded up.
    let steps: [Int]
    /// Position of each review in the longest-first order (ties keep batch order).
    let rank: [Int]
    /// Rows of time step `t` are `stepStarts[t] ..< stepStarts[t] + stepCounts[t]`.
    let stepStarts: [Int]
    /// Reviews still running at each time step.
    let stepCounts: [Int]

    /// Token positions in the whole batch.
    var totalTokens: Int { tokenStarts[count] }
    /// Time-step rows in the whole batch.
    var totalSteps: Int { stepStarts[stepCounts.count] }
    /// Time steps of the longest review.
    var maxSteps: Int { stepCounts.count }

    /// The layout of reviews with the given token counts (each at least 1), for a convolution
    /// window of `kernelSize` tokens.
    init(tokenCounts: [Int], poolSize: Int, kernelSize: Int) {
        count = tokenCounts.count
        var starts = [0]
        starts.reserveCapacity(count + 1)
        for length in tokenCounts {
            precondition(length >= 1, "every encoded review has at least one token")
            starts.append(starts[starts.count - 1] + length)
        }
        tokenStarts = starts
        let left = (kernelSize - 1) / 2
        let gap = max(left, kernelSize - 1 - left)
        self.gap = gap
        var rows: [Int] = []
        rows.reserveCapacity(count)
        var next = gap
        for length in tokenCounts {
            rows.append(next)
            next += length + gap
        }
        tokenRows = rows
        paddedTokens = next
        let steps = tokenCounts.map { ($0 + poolSize - 1) / poolSize }
        self.steps = steps
        let order = (0..<tokenCounts.count).sorted { steps[$0] != steps[$1] ? steps[$0] > steps[$1] : $0 < $1 }
        var rank = [Int](repeating: 0, count: count)
        for (position, b) in order.enumerated() { rank[b] = position }
        self.rank = rank
        let longest = steps.max() ?? 0
        var counts = [Int](repeating: 0, count: longest)
        for s in steps {
            for t in 0..<s { counts[t] += 1 }
        }
        stepCounts = counts
        var stepStarts = [0]
        stepStarts.reserveCapacity(longest + 1)
        for n in counts { stepStarts.append(stepStarts[stepStarts.count - 1] + n) }
        self.stepStarts = stepStarts
    }

    /// The token-level row of token `p` (an index into the batch's positions) of review `b`.
    @inline(__always)
    func tokenRow(review b: Int, position p: Int) -> Int { tokenRows[b] + p - tokenStarts[b] }

    /// The row of review `b` at time step `t` (which must be below `steps[b]`).
    @inline(__always)
    func row(review b: Int, step t: Int) -> Int { stepStarts[t] + rank[b] }
}
