/// Seeded splits of labelled data, so that the same seed always holds out the same reviews.
public enum DatasetSplit {
    /// Shuffles `examples` with `seed` and returns the first `1 − fraction` as the kept part and
    /// the rest as the held-out part.
    public static func split(
        _ examples: [LabeledText], holdOut fraction: Double, seed: UInt64
    ) -> (kept: [LabeledText], heldOut: [LabeledText]) {
        var generator = SeededGenerator(seed: seed ^ 0x5EED_5EED)
        let shuffled = examples.shuffled(using: &generator)
        let heldOut = heldOutCount(of: examples.count, holdOut: fraction)
        return (Array(shuffled.dropLast(heldOut)), Array(shuffled.suffix(heldOut)))
    }

    /// How many of `count` reviews ``split(_:holdOut:seed:)`` holds out: the share, rounded.
    public static func heldOutCount(of count: Int, holdOut fraction: Double) -> Int {
        Int((Double(count) * fraction).rounded())
    }

    /// The first `count` reviews of a seeded shuffle (all when there are fewer).
    public static func sample(_ examples: [LabeledText], count: Int, seed: UInt64) -> [LabeledText] {
        guard count < examples.count else { return examples }
        var generator = SeededGenerator(seed: seed ^ 0x5A3B_1E00)
        return Array(examples.shuffled(using: &generator).prefix(count))
    }
}

extension DatasetSplit {
    /// Splits a data file's lines (seeded, as ``split(_:holdOut:seed:)``), keeping each line exactly
    /// as written; an NSMC header is repeated at the top of both parts and blank lines are dropped.
    public static func splitLines(
        _ content: String, holdOut fraction: Double, seed: UInt64
    ) -> (kept: String, heldOut: String) {
        var lines = DataFileLines.split(content).map(String.init)
        let header = lines.first == InputFormat.nsmcHeader ? lines.removeFirst() : nil
        lines.removeAll { $0.allSatisfy(\.isWhitespace) }
        var generator = SeededGenerator(seed: seed ^ 0x5EED_5EED)
        let shuffled = lines.shuffled(using: &generator)
        let heldOut = heldOutCount(of: lines.count, holdOut: fraction)
        func file(_ part: ArraySlice<String>) -> String {
            ((header.map { [$0] } ?? []) + part).map { $0 + "\n" }.joined()
        }
        return (file(shuffled.dropLast(heldOut)), file(shuffled.suffix(heldOut)))
    }
}
