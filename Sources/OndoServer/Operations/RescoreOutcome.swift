import Sentiment

/// What ``Operations/rescore(since:everyReview:progress:)`` did.
public struct RescoreOutcome: Sendable, Equatable {
    /// Reviews it put back in the queue for the current model.
    public let requeued: Int
    /// Reviews unfinished when the re-queueing ended — the re-queued ones and the backlog before them — all of
    /// which were finished when it returned (running servers may have scored some of them).
    public let waitedFor: Int

    /// An outcome with these counts.
    public init(requeued: Int, waitedFor: Int) {
        self.requeued = requeued
        self.waitedFor = waitedFor
    }

    /// The sentence `ondo reviews rescore` ends with. "re-scored 0 reviews" after a progress bar that had scored
    /// the backlog read as a contradiction.
    public var summary: String {
        let requeuedText = "re-queued \(GroupedNumber.text(requeued)) review\(requeued == 1 ? "" : "s")"
        guard waitedFor > requeued else {
            return requeued == 0 ? requeuedText : requeuedText + " and scored \(requeued == 1 ? "it" : "them")"
        }
        return requeuedText + "; scored the \(GroupedNumber.text(waitedFor)) queued by then (the backlog included)"
    }
}
