/// Binary cross-entropy on logits (the sigmoid folded in, so it is stable for any logit).
enum BinaryCrossEntropy {
    /// The weighted mean loss over the batch; writes `dLogits[b] = weight[b] · (σ(logit[b]) − label[b]) / Σ weight`.
    /// `labels` are 0 or 1; `weights` default to 1 for every review.
    static func lossAndGradient(
        logits: UnsafePointer<Float>, labels: [Float], weights: [Float]? = nil, dLogits: UnsafeMutablePointer<Float>
    ) -> Float {
        let count = labels.count
        let total = weights?.reduce(0, +) ?? Float(count)
        guard count > 0, total > 0 else { return 0 }
        var loss: Float = 0
        for b in 0..<count {
            let z = logits[b]
            let y = labels[b]
            let weight = weights?[b] ?? 1
            // −[y log σ(z) + (1−y) log(1−σ(z))] = softplus(z) − y·z
            loss += weight * (Activation.softplus(z) - y * z)
            dLogits[b] = weight * (Activation.sigmoid(z) - y) / total
        }
        return loss / total
    }
}
