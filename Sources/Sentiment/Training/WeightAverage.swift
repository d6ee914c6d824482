/// An exponential moving average of the weights over optimiser steps (Polyak averaging), with the
/// usual warm-up: the decay is `min(decay, (1 + t) / (10 + t))` at step `t`, so early weights do not
/// linger.
struct WeightAverage {
    let decay: Float
    private(set) var values: [Float]
    private var steps = 0

    init(_ initial: [Float], decay: Float) {
        self.decay = decay
        values = initial
    }

    /// Folds the current weights in, the range split over `workers` threads.
    mutating func update(with parameters: [Float], workers: Int) {
        steps += 1
        let d = min(decay, Float(1 + steps) / Float(10 + steps))
        let count = values.count
        values.withUnsafeMutableBufferPointer { average in
            let target = SharedPointer(base: average.baseAddress.unsafelyUnwrapped)
            let chunk = (count + workers - 1) / workers
            Parallel.run(workers: workers) { worker in
                let end = min((worker + 1) * chunk, count)
                guard worker * chunk < end else { return }
                parameters.withUnsafeBufferPointer { p in
                    for i in (worker * chunk)..<end { target.base[i] = d * target.base[i] + (1 - d) * p[i] }
                }
            }
        }
    }
}
