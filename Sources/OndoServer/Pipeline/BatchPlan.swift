import CRM
import CRMStore

/// Sorts a claimed batch into what can be written at once (vanished, quarantined), what needs the model,
/// and what must wait (unknown customer or product on an early attempt).
struct BatchPlan {
    struct ToScore {
        var work: ClaimedWork
        var review: ReviewRecord
        var text: String
    }

    private(set) var verdicts: [ReviewVerdict] = []
    private(set) var toScore: [ToScore] = []
    private(set) var failures: [Failure] = []

    init(claimed: [ClaimedWork], records: [Int64: ReviewRecord], settings: PipelineSettings) {
        for work in claimed {
            guard let review = records[work.key] else {
                verdicts.append(ReviewVerdict(work: work, review: nil, outcome: .vanished))
                continue
            }
            if !review.customerKnown || !review.productKnown {
                let reason: QuarantineReason = review.customerKnown ? .unknownProduct : .unknownCustomer
                let missing =
                    reason == .unknownCustomer ? "customer \(review.customerId)" : "product \(review.productId)"
                if work.attempts < settings.unknownReferenceAttempts {
                    failures.append(
                        Failure(work: work, message: "waiting for \(missing) in the shop's tables", isWaiting: true))
                } else {
                    let detail = "no \(missing) after \(work.attempts) attempts; re-queued when the shop inserts it"
                    verdicts.append(
                        ReviewVerdict(work: work, review: review, outcome: .quarantined(reason, detail: detail)))
                }
                continue
            }
            guard let text = ReviewText.scorable(review.body) else {
                verdicts.append(
                    ReviewVerdict(
                        work: work, review: review,
                        outcome: .quarantined(.emptyBody, detail: "the body has no visible text")))
                continue
            }
            toScore.append(ToScore(work: work, review: review, text: text))
        }
    }

    /// Turns the model's results into verdicts (scored) or failures (the scorer threw for that text).
    mutating func attach(_ scores: [Result<ReviewScorer.Score, any Error>]) {
        for (item, result) in zip(toScore, scores) {
            switch result {
            case .success(let score):
                verdicts.append(
                    ReviewVerdict(
                        work: item.work, review: item.review,
                        outcome: .scored(probability: score.probability, aspects: score.aspects)))
            case .failure(let error):
                failures.append(Failure(work: item.work, message: "scoring failed: \(error)", isWaiting: false))
            }
        }
    }
}
