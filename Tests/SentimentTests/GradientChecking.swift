import Testing

@testable import Sentiment

/// Central-difference gradient checking for the layer and network tests.
enum GradientChecking {
    /// Compares `analytic[i]` with the numerical derivative of `loss` with respect to `values[i]`
    /// for `samples` seeded-random indices (all when there are fewer); records a test issue for each
    /// mismatch beyond `relative · max(|a|, |n|) + absolute`.
    static func check(
        _ name: String, values: inout [Float], analytic: [Float], samples: Int = 24, seed: UInt64 = 1,
        epsilon: Float = 1e-3, relative: Float = 2e-2, absolute: Float = 2e-4,
        sourceLocation: SourceLocation = #_sourceLocation, loss: ([Float]) -> Double
    ) {
        var generator = SeededGenerator(seed: seed)
        let indices =
            values.count <= samples
            ? Array(0..<values.count) : (0..<samples).map { _ in Int(generator.next() % UInt64(values.count)) }
        var worst: Float = 0
        for i in indices {
            let original = values[i]
            values[i] = original + epsilon
            let plus = loss(values)
            values[i] = original - epsilon
            let minus = loss(values)
            values[i] = original
            let numeric = Float((plus - minus) / Double(2 * epsilon))
            let error = abs(numeric - analytic[i])
            worst = max(worst, error)
            #expect(
                error <= relative * max(abs(numeric), abs(analytic[i])) + absolute,
                "\(name)[\(i)]: analytic \(analytic[i]) vs numeric \(numeric)", sourceLocation: sourceLocation)
        }
    }

    /// A fixed random weighting, so that `Σ weight · output` is a loss whose gradient is `weight`.
    static func weights(_ count: Int, seed: UInt64) -> [Float] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { _ in generator.uniform(1) }
    }

    static func random(_ count: Int, seed: UInt64, scale: Float = 1) -> [Float] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { _ in generator.uniform(scale) }
    }

    static func dot(_ a: UnsafePointer<Float>, _ b: [Float]) -> Double {
        var sum = 0.0
        for i in 0..<b.count { sum += Double(a[i]) * Double(b[i]) }
        return sum
    }
}
