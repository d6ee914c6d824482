/// Binary cross-entropy on logits (the sigmoid folded in, so it is stable for any logit).
enum BinaryCrossEntropy {
    /// Returns the summed loss of the reviews and writes `dLogits[b] = (σ(logit[b]) − label[b]) / normalizer`,
    /// the gradient of the batch's mean loss when `normalizer` is the whole batch's size.
    static func lossAndGradient(
        logits: UnsafePointer<Float>, labels: [Float], normalizer: Float, dLogits: UnsafeMutablePointer<Float>
    ) -> Double {
        var loss = 0.0
        for (b, y) in labels.enumerated() {
            let z = logits[b]
            // −[y log σ(z) + (1−y) log(1−σ(z))] = softplus(z) − y·z
            loss += Double(Activation.softplus(z) - y * z)
            dLogits[b] = (Activation.sigmoid(z) - y) / normalizer
        }
        return loss
    }

    /// The mean loss of `logits` against `labels` (0 or 1).
    static func meanLoss(logits: [Float], labels: [Float]) -> Double {
        guard !logits.isEmpty else { return 0 }
        var loss = 0.0
        for (z, y) in zip(logits, labels) { loss += Double(Activation.softplus(z) - y * z) }
        return loss / Double(logits.count)
    }
}
