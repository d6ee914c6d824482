/// When `ondo reviews rescore` counts the reviews it still waits for, and what its progress line shows between counts.
///
/// The count reads every queued review (its filter on `enqueued_at` is in no index): 0.9 s on a queue of 2,000,000.
/// Counted after every batch of 256, it made the rescore grow with the square of the queue (740 reviews/s on
/// 2,000,000 reviews, most of the time in the count). So a count is taken when a claim comes back empty (only a count
/// can tell whether the rescore is done) or once counting would take no more than ``maximumShareCounting`` of the
/// time; in between, the reviews this process finished are subtracted from the last count.
struct RescoreCountSchedule {
    /// The share of the time spent counting, at most, while batches keep coming.
    static let maximumShareCounting = 0.1

    /// Reviews still to finish: the last count, less what this process finished since (an estimate until the next
    /// count: the shop's later reviews that it claimed are subtracted too, and other processes' work is not).
    private(set) var remaining: Int
    /// Whether ``remaining`` is a count just taken.
    private var exact: Bool
    /// Seconds (on the caller's clock) from which the next count is due even while batches keep coming.
    private var nextCountAt: Double

    /// A schedule starting from a count of `remaining` that took `countSeconds` and ended at `now`.
    init(remaining: Int, countSeconds: Double, endedAt now: Double) {
        self.remaining = remaining
        exact = true
        nextCountAt = 0
        counted(remaining, tookSeconds: countSeconds, endedAt: now)
    }

    /// Whether to count after a batch that claimed `claimed` reviews, at `now`.
    func countIsDue(claimed: Int, at now: Double) -> Bool {
        claimed == 0 || now >= nextCountAt
    }

    /// Records a count of `remaining` that took `seconds` and ended at `now`.
    mutating func counted(_ remaining: Int, tookSeconds seconds: Double, endedAt now: Double) {
        self.remaining = remaining
        exact = true
        nextCountAt = now + seconds * (1 / Self.maximumShareCounting - 1)
    }

    /// Records a batch of `claimed` reviews finished by this process.
    mutating func finished(_ claimed: Int) {
        guard claimed > 0 else { return }
        remaining = max(remaining - claimed, 0)
        exact = false
    }

    /// Whether the rescore is done: a count just taken found nothing left.
    var isDone: Bool { exact && remaining == 0 }
}
