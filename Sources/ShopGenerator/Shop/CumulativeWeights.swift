/// Draws an index with probability proportional to fixed weights, in O(log n) per draw.
struct CumulativeWeights: Sendable {
    private let cumulative: [Double]

    /// A table for `weights` (non-negative; at least one positive for draws to be meaningful).
    init<S: Sequence>(_ weights: S) where S.Element == Double {
        var running = 0.0
        cumulative = weights.map { weight in
            running += weight
            return running
        }
    }

    /// How many weights the table holds.
    var count: Int { cumulative.count }

    /// An index drawn with probability proportional to its weight; 0 for an empty table.
    func draw(_ random: inout SplitMix64) -> Int {
        guard let total = cumulative.last, total > 0 else { return 0 }
        let target = random.unit() * total
        var low = 0
        var high = cumulative.count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] > target { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
