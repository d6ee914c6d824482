import Foundation

/// A small, fast, seeded pseudo-random generator (SplitMix64) with the few draws the shop generator needs.
///
/// Every draw is defined here, in integer or plain IEEE arithmetic, instead of through the standard
/// library's `random(in:using:)`, whose algorithms may change between toolchains: the same seed must give
/// the same shop on every build. Independent sub-streams come from ``init(seed:stream:index:)``, so that
/// one table's rows never depend on how many rows another table has.
public struct SplitMix64: Sendable {
    private var state: UInt64

    /// A generator that starts from `seed`.
    public init(seed: UInt64) {
        state = seed
    }

    /// The generator of sub-stream `stream`, element `index`, of the run seeded with `seed`.
    ///
    /// Different (stream, index) pairs give statistically independent generators, so a row can be
    /// regenerated from its id alone.
    public init(seed: UInt64, stream: StreamKey, index: UInt64 = 0) {
        let streamSeed = Self.mix(seed ^ Self.mix(stream.rawValue &* 0x9E37_79B9_7F4A_7C15))
        state = Self.mix(streamSeed &+ Self.mix(index ^ 0xD1B5_4A32_D192_ED03))
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return Self.mix(state)
    }

    /// A uniform integer in `0..<bound` (Lemire's multiply-and-reject, unbiased); 0 when `bound` ≤ 1.
    public mutating func below(_ bound: Int) -> Int {
        guard bound > 1 else { return 0 }
        let range = UInt64(bound)
        var product = next().multipliedFullWidth(by: range)
        if product.low < range {
            let threshold = (0 &- range) % range
            while product.low < threshold {
                product = next().multipliedFullWidth(by: range)
            }
        }
        return Int(product.high)
    }

    /// A uniform integer in `range`.
    public mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.upperBound - range.lowerBound + 1)
    }

    /// A uniform double in [0, 1) with 53 random bits.
    public mutating func unit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// True with probability `probability`.
    public mutating func chance(_ probability: Double) -> Bool {
        unit() < probability
    }

    /// An exponentially distributed double with the given mean.
    public mutating func exponential(mean: Double) -> Double {
        -mean * log1p(-unit())
    }

    /// A uniformly chosen element; nil when `items` is empty.
    public mutating func pick<C: RandomAccessCollection>(_ items: C) -> C.Element? where C.Index == Int {
        guard !items.isEmpty else { return nil }
        return items[items.startIndex + below(items.count)]
    }

    /// An index chosen with probability proportional to `weights[index]`; 0 when all weights are 0.
    public mutating func weightedIndex(_ weights: [Double]) -> Int {
        let total = weights.reduce(0, +)
        guard total > 0 else { return 0 }
        var target = unit() * total
        for (index, weight) in weights.enumerated() {
            target -= weight
            if target < 0 { return index }
        }
        return weights.count - 1
    }

    /// The SplitMix64 finaliser: a bijective 64-bit mix with good avalanche.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
