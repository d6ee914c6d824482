/// Initial weights for a new network, drawn from a seeded generator: Glorot-uniform input and
/// convolution kernels, orthogonal recurrent kernels, forget-gate bias 1 (as Keras does for the
/// study's model), small uniform embeddings with the "nothing" row (id 0) at zero.
enum NetworkInitializer {
    /// A parameter vector for `config`, determined by `seed`.
    static func parameters(for config: NetworkConfig, seed: UInt64) -> [Float] {
        let layout = ParameterLayout(config: config)
        var generator = SeededGenerator(seed: seed)
        var p = [Float](repeating: 0, count: layout.count)
        let e = config.embeddingSize
        let h = config.lstmUnits
        for i in e..<(config.vocabularySize * e) { p[layout.embedding + i] = generator.uniform(0.05) }
        let convLimit = glorotLimit(fanIn: config.kernelSize * e, fanOut: config.kernelSize * config.filters)
        for i in 0..<(config.filters * config.kernelSize * e) {
            p[layout.convWeight + i] = generator.uniform(convLimit)
        }
        for (layer, offsets) in layout.lstm.enumerated() {
            let d = config.lstmInputSize(layer)
            let limit = glorotLimit(fanIn: d, fanOut: 4 * h)
            for i in 0..<(4 * h * d) { p[offsets.inputWeight + i] = generator.uniform(limit) }
            for gate in 0..<4 {
                let block = orthogonal(size: h, generator: &generator)
                // Gate block `gate` is rows gate·H ..< (gate+1)·H of the 4H × H recurrent matrix.
                for i in 0..<(h * h) { p[offsets.recurrentWeight + gate * h * h + i] = block[i] }
            }
            for j in 0..<h { p[offsets.bias + h + j] = 1 }
        }
        let denseLimit = glorotLimit(fanIn: config.denseInputSize, fanOut: 1)
        for j in 0..<config.denseInputSize { p[layout.denseWeight + j] = generator.uniform(denseLimit) }
        return p
    }

    static func glorotLimit(fanIn: Int, fanOut: Int) -> Float {
        (6 / Float(fanIn + fanOut)).squareRoot()
    }

    /// A random `size × size` orthogonal matrix (Gram–Schmidt on Gaussian rows), row-major.
    static func orthogonal(size: Int, generator: inout SeededGenerator) -> [Float] {
        var rows = [[Double]]()
        rows.reserveCapacity(size)
        while rows.count < size {
            var v = (0..<size).map { _ in Double(generator.normal()) }
            for r in rows {
                let dot = zip(v, r).reduce(0) { $0 + $1.0 * $1.1 }
                for j in 0..<size { v[j] -= dot * r[j] }
            }
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            guard norm > 1e-6 else { continue }  // a degenerate draw: draw again
            rows.append(v.map { $0 / norm })
        }
        return rows.flatMap { $0.map(Float.init) }
    }
}
