import CRM
import Dispatch

/// Scores review texts with the sentiment model and finds their complaint aspects, on a Dispatch thread
/// (the model is CPU-bound work that must not occupy Swift's cooperative pool).
struct ReviewScorer: Sendable {
    let engine: ScoringEngine
    let lexicon: AspectLexicon
    let failPoints: FailPoints

    /// One scored text.
    struct Score: Sendable, Equatable {
        var probability: Double
        var aspects: [String]
    }

    /// Scores every text; a text that cannot be scored gets its error instead, without failing the others.
    func score(_ texts: [String]) async -> [Result<Score, any Error>] {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: scoreBlocking(texts))
            }
        }
    }

    private func scoreBlocking(_ texts: [String]) -> [Result<Score, any Error>] {
        var results = [Result<Score, any Error>](
            repeating: .failure(InjectedFault(description: "not scored")), count: texts.count)
        var scorable: [Int] = []
        for (index, text) in texts.enumerated() {
            if let poison = failPoints.poisonText, text.contains(poison) {
                results[index] = .failure(InjectedFault(description: "injected fault: poison review"))
            } else {
                scorable.append(index)
            }
        }
        let probabilities = engine.predict(scorable.map { texts[$0] })
        for (index, probability) in zip(scorable, probabilities) {
            results[index] = .success(
                Score(probability: Double(probability), aspects: lexicon.aspects(in: texts[index])))
        }
        return results
    }
}
