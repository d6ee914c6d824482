/// Seeded splits of labelled data, so that the same seed always holds out the same reviews.
public enum DatasetSplit {
    /// Shuffles `examples` with `seed` and returns the first `1 − fraction` as the kept part and
    /// the rest as the held-out part.
    public static func split(
        _ examples: [LabeledText], holdOut fraction: Double, seed: UInt64
    ) -> (kept: [LabeledText], heldOut: [LabeledText]) {
        var generator = SeededGenerator(seed: seed ^ 0x5EED_5EED)
        let shuffled = examples.shuffled(using: &generator)
        let heldOut = Int((Double(examples.count) * fraction).rounded())
        return (Array(shuffled.dropLast(heldOut)), Array(shuffled.suffix(heldOut)))
    }

    /// The first `count` reviews of a seeded shuffle (all when there are fewer).
    public static func sample(_ examples: [LabeledText], count: Int, seed: UInt64) -> [LabeledText] {
        guard count < examples.count else { return examples }
        var generator = SeededGenerator(seed: seed ^ 0x5A3B_1E00)
        return Array(examples.shuffled(using: &generator).prefix(count))
    }
}
