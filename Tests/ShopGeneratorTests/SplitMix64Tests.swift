import Testing

@testable import ShopGenerator

@Suite struct SplitMix64Tests {
    @Test func matchesTheReferenceSequence() {
        // First outputs of SplitMix64 seeded with 0 (Vigna's reference implementation).
        var random = SplitMix64(seed: 0)
        #expect(random.next() == 0xE220_A839_7B1D_CDAF)
        #expect(random.next() == 0x6E78_9E6A_A1B9_65F4)
    }

    @Test func subStreamsDiffer() {
        var a = SplitMix64(seed: 1, stream: .customer, index: 1)
        var b = SplitMix64(seed: 1, stream: .customer, index: 2)
        var c = SplitMix64(seed: 1, stream: .orders, index: 1)
        var d = SplitMix64(seed: 2, stream: .customer, index: 1)
        let firsts = [a.next(), b.next(), c.next(), d.next()]
        #expect(Set(firsts).count == 4)
    }

    @Test func boundedDrawsStayInRangeAndCoverIt() {
        var random = SplitMix64(seed: 9)
        var seen = Array(repeating: 0, count: 7)
        for _ in 0..<7_000 { seen[random.below(7)] += 1 }
        #expect(seen.allSatisfy { $0 > 850 && $0 < 1_150 })
        #expect(random.below(1) == 0 && random.below(0) == 0)
        for _ in 0..<1_000 {
            let unit = random.unit()
            #expect(unit >= 0 && unit < 1)
            #expect((3...5).contains(random.int(in: 3...5)))
        }
    }

    @Test func weightedDrawsFollowTheWeights() {
        var random = SplitMix64(seed: 4)
        var counts = [0, 0, 0]
        for _ in 0..<10_000 { counts[random.weightedIndex([1, 0, 3])] += 1 }
        #expect(counts[1] == 0)
        #expect(abs(Double(counts[2]) / 10_000 - 0.75) < 0.02)
        let table = CumulativeWeights([0, 2, 0, 2])
        var hits = [0, 0, 0, 0]
        for _ in 0..<4_000 { hits[table.draw(&random)] += 1 }
        #expect(hits[0] == 0 && hits[2] == 0 && abs(hits[1] - hits[3]) < 300)
    }

    @Test func exponentialDrawsHaveTheirMean() {
        var random = SplitMix64(seed: 5)
        let mean = (0..<20_000).reduce(0.0) { sum, _ in sum + random.exponential(mean: 2) } / 20_000
        #expect(abs(mean - 2) < 0.08)
    }
}
