import Foundation

/// How many orders a customer places in the generated period: some never order, most of the rest order
/// once, and repeat buyers follow a heavy (Lomax) tail, with the mean set by the requested totals.
struct OrderCountDistribution: Sendable, Equatable {
    /// Share of customers who never order.
    let neverShare: Double
    /// Share of ordering customers who order exactly once.
    let onceShare: Double
    /// Scale of the repeat buyers' tail (orders beyond the second).
    let tailScale: Double
    /// Shape of the tail: smaller is heavier.
    static let tailShape = 2.5
    /// The most orders one customer places in the period.
    static let maximum = 2_000

    /// The distribution whose mean is `mean` orders per customer.
    init(mean: Double) {
        var never = 0.15
        var buyerMean = mean / (1 - never)
        if buyerMean < 1 {
            never = max(0, 1 - mean)
            buyerMean = 1
        }
        // Repeat buyers average at least 2.2 orders; fewer one-time buyers make up a small mean.
        let minimumRepeatMean = 2.2
        var once = 0.55
        var repeatMean = (buyerMean - once) / (1 - once)
        if repeatMean < minimumRepeatMean {
            once = min(1, max(0, (minimumRepeatMean - buyerMean) / (minimumRepeatMean - 1)))
            repeatMean = minimumRepeatMean
        }
        neverShare = never
        onceShare = once
        tailScale = Self.scale(forExtraOrders: repeatMean - 2)
    }

    /// The tail scale whose capped mean of whole extra orders is `extra`, found by bisection.
    private static func scale(forExtraOrders extra: Double) -> Double {
        // For X = scale·((1−u)^(−1/shape) − 1): E[min(⌊X⌋, cap)] = Σ_{j=1…cap} (1 + j/scale)^(−shape).
        func extraMean(_ scale: Double) -> Double {
            (1...(maximum - 2)).reduce(0) { $0 + pow(1 + Double($1) / scale, -tailShape) }
        }
        var low = 1e-3
        var high = 1e4
        for _ in 0..<60 {
            let middle = (low * high).squareRoot()
            if extraMean(middle) < extra { low = middle } else { high = middle }
        }
        return low
    }

    /// A customer's order count, at most `limit` (and at least 1 for a buyer when `limit` ≥ 1).
    func sample(_ random: inout SplitMix64, limit: Int) -> Int {
        guard limit > 0, !random.chance(neverShare) else { return 0 }
        if random.chance(onceShare) { return 1 }
        let tail = tailScale * (pow(1 - random.unit(), -1 / Self.tailShape) - 1)
        let count = 2 + Int(min(tail, Double(Self.maximum)))
        return min(count, limit, Self.maximum)
    }
}
