import CRM
import Foundation

/// How `ondo serve` processes work (the `pipeline` section of `config/ondo.json`).
public struct PipelineSettings: Sendable, Equatable {
    /// Concurrent review workers in this process; flag `--workers`, env `ONDO_WORKERS`. Default 2.
    public var workers: Int = 2
    /// Reviews claimed and scored together. Default 256 (each batch has a fixed cost; a backlog drains about
    /// 1.6 times faster in batches of 512 than of 32).
    public var batchSize: Int = 256
    /// Under load, a worker whose claim came back partly full (at least `lingerMinimumClaim` reviews, fewer
    /// than `batchSize`) waits this long before claiming again, so that it writes fewer, larger batches — each
    /// batch has a fixed cost in statements and a commit. Idle queues and backlogs are not delayed. 0 turns it
    /// off. Default 0.05 s (against 0.025 s it cut the CPU of a 20,000-review end-to-end run by about a seventh).
    public var batchLingerSeconds: Double = 0.05
    /// Reviews a claim must bring back before the worker lingers (see `batchLingerSeconds`).
    public static let lingerMinimumClaim = 8
    /// Seconds a claim stays leased; a worker that dies loses its work to others after this. Default 30.
    /// There is no heartbeat, so it must leave time to write a whole batch review by review (after a failed batch
    /// write): at least `batchSize` × ``leaseMillisecondsPerReview``.
    public var leaseSeconds: Double = 30
    /// The lease each claimed review needs (milliseconds): a batch whose write failed is written one review per
    /// transaction (about a dozen statements, 2–5 ms on a local server); 20 ms leaves room for a remote server
    /// and a busy machine. With the default lease of 30 s a batch may hold up to 1,500 reviews.
    public static let leaseMillisecondsPerReview = 20
    /// Idle workers look for work at least this often, NOTIFY or not (seconds). Default 1.
    public var pollIntervalSeconds: Double = 1
    /// How often expired leases are swept back into the queue (seconds). Default 5.
    public var sweepIntervalSeconds: Double = 5
    /// How often the scheduler recomputes customers whose state may change with time alone (seconds). Default 10.
    public var schedulerIntervalSeconds: Double = 10
    /// Customers the scheduler recomputes per transaction. Default 500.
    public var schedulerBatchSize: Int = 500
    /// Every customer is looked at again at least this often, so churn risk stays fresh (hours). Default 24.
    public var maximumRecheckHours: Double = 24
    /// A review whose customer or product is unknown is retried this many times (with backoff), then
    /// quarantined until the shop inserts the missing row. Default 3; 1 or less than `retry.maximumAttempts`, so that
    /// the attempts spent waiting, which count towards that maximum, leave a retry after a failure.
    public var unknownReferenceAttempts: Int = 3
    /// How often queue gauges (backlog, oldest age) are sampled for `/metrics` (seconds). Default 5.
    public var metricsSampleSeconds: Double = 5
    /// Retries of failed work: attempts, backoff. Defaults: 5 attempts, 1 s doubling to 300 s.
    public var retry = RetryPolicy()
    /// How long `ondo serve` lets its workers finish the batches in hand after SIGTERM or SIGINT (seconds); then it
    /// gives their leases back and exits with 128 + the signal's number. Default 7: with the lease give-back (at
    /// most ``ShutdownLimit/giveBackPatience``) it stays within Docker's 10 s before SIGKILL (Kubernetes allows 30).
    public var shutdownTimeoutSeconds: Double = 7

    /// The most review workers one process may run; more throughput comes from more processes.
    public static let maximumWorkers = 64
    /// The longest lease, shutdown time limit and interval of a periodic task (poll, sweep, scheduler, metrics): a
    /// day.
    public static let maximumIntervalSeconds: Double = 86_400
    /// The largest `maximumRecheckHours`: a year.
    public static let maximumRecheckHoursLimit: Double = 8_760

    /// The defaults.
    public init() {}

    /// A sentence per problem; empty when valid.
    public func problems() -> [String] {
        var found: [String] = []
        // Each worker holds a database connection (the pool grows past database.maxConnections to give them
        // one): an unbounded count could take the connections the shop's own inserts need.
        if !(1...Self.maximumWorkers).contains(workers) {
            found.append("pipeline.workers must be between 1 and \(Self.maximumWorkers) (it is \(workers))")
        }
        if !(1...10_000).contains(batchSize) { found.append("pipeline.batchSize must be between 1 and 10000") }
        if !(0...1).contains(batchLingerSeconds) { found.append("pipeline.batchLingerSeconds must be between 0 and 1") }
        if schedulerBatchSize < 1 { found.append("pipeline.schedulerBatchSize must be at least 1") }
        if unknownReferenceAttempts < 1 { found.append("pipeline.unknownReferenceAttempts must be at least 1") }
        for (value, name) in [
            (leaseSeconds, "leaseSeconds"), (pollIntervalSeconds, "pollIntervalSeconds"),
            (sweepIntervalSeconds, "sweepIntervalSeconds"), (schedulerIntervalSeconds, "schedulerIntervalSeconds"),
            (maximumRecheckHours, "maximumRecheckHours"), (metricsSampleSeconds, "metricsSampleSeconds"),
            (shutdownTimeoutSeconds, "shutdownTimeoutSeconds"),
        ] where !(value > 0) {
            found.append("pipeline.\(name) must be greater than 0")
        }
        // Larger values are no use, and fail far from here: a periodic task's Duration overflows (a crash at start),
        // a lease's interval or a recheck's timestamp leaves PostgreSQL's range (every claim or recompute fails).
        for (value, name) in [
            (leaseSeconds, "leaseSeconds"), (pollIntervalSeconds, "pollIntervalSeconds"),
            (sweepIntervalSeconds, "sweepIntervalSeconds"), (schedulerIntervalSeconds, "schedulerIntervalSeconds"),
            (metricsSampleSeconds, "metricsSampleSeconds"), (shutdownTimeoutSeconds, "shutdownTimeoutSeconds"),
        ] where value > Self.maximumIntervalSeconds {
            found.append("pipeline.\(name) must be at most \(Int(Self.maximumIntervalSeconds)) (a day; it is \(value))")
        }
        if maximumRecheckHours > Self.maximumRecheckHoursLimit {
            found.append(
                "pipeline.maximumRecheckHours must be at most \(Int(Self.maximumRecheckHoursLimit)) (a year; it is "
                    + "\(maximumRecheckHours))")
        }
        let leaseNeededMilliseconds = batchSize * Self.leaseMillisecondsPerReview
        if (1...10_000).contains(batchSize), leaseSeconds > 0, leaseSeconds * 1_000 < Double(leaseNeededMilliseconds) {
            let largestBatch = Int(leaseSeconds * 1_000) / Self.leaseMillisecondsPerReview
            found.append(
                "pipeline.leaseSeconds (\(leaseSeconds)) is too short for pipeline.batchSize (\(batchSize)): "
                    + "there is no lease heartbeat and a batch may be written review by review at up to "
                    + "\(Self.leaseMillisecondsPerReview) ms a review, so raise leaseSeconds to at least "
                    + "\(Double(leaseNeededMilliseconds) / 1_000) or lower batchSize to at most \(largestBatch)")
        }
        // Attempts spent waiting for a missing customer or product count towards the maximum until the shop inserts
        // it: at or above the maximum, a review that should be quarantined could be discarded after a single failure.
        // 1 spends no attempt waiting (the first quarantines), so it suits any maximum, 1 (no retries) included.
        if unknownReferenceAttempts > 1, unknownReferenceAttempts >= retry.maximumAttempts {
            found.append(
                "pipeline.unknownReferenceAttempts (\(unknownReferenceAttempts)) must be less than "
                    + "pipeline.retry.maximumAttempts (\(retry.maximumAttempts)): the attempts a review spends waiting "
                    + "for a missing customer or product count towards the maximum, so a review that should be "
                    + "quarantined could be discarded after a single failure; lower unknownReferenceAttempts (1 "
                    + "quarantines at once) or raise maximumAttempts")
        }
        found += retry.problems().map { "pipeline.retry: \($0)" }
        return found
    }

    /// The pause before a worker's next claim after it claimed `claimed` reviews: `batchLingerSeconds` when the
    /// queue is busy but not backed up — reviews arrive about as fast as they are processed, so batches would
    /// stay small and each would pay the fixed cost of a transaction — else none.
    public func linger(afterClaiming claimed: Int) -> Duration? {
        guard batchLingerSeconds > 0, claimed >= Self.lingerMinimumClaim, claimed < batchSize else { return nil }
        return .seconds(batchLingerSeconds)
    }

    /// Overrides from `ONDO_WORKERS`.
    func applyingEnvironment(_ environment: [String: String]) throws -> PipelineSettings {
        var settings = self
        settings.workers =
            try EnvironmentNumber.wholeNumber("ONDO_WORKERS", in: environment, range: 1...Self.maximumWorkers)
            ?? settings.workers
        return settings
    }
}

extension PipelineSettings: Decodable {
    private enum CodingKeys: String, CodingKey, CaseIterable {
        case workers, batchSize, batchLingerSeconds, leaseSeconds, pollIntervalSeconds, sweepIntervalSeconds
        case schedulerIntervalSeconds, schedulerBatchSize, maximumRecheckHours, unknownReferenceAttempts
        case metricsSampleSeconds, shutdownTimeoutSeconds, retry
    }

    /// Keys present in the file replace the defaults; unknown keys are errors.
    public init(from decoder: any Decoder) throws {
        try SettingsKey.rejectUnknownKeys(in: decoder, known: CodingKeys.allCases.map(\.rawValue), section: "pipeline")
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        workers = try c.decodeIfPresent(Int.self, forKey: .workers) ?? workers
        batchSize = try c.decodeIfPresent(Int.self, forKey: .batchSize) ?? batchSize
        batchLingerSeconds = try c.decodeIfPresent(Double.self, forKey: .batchLingerSeconds) ?? batchLingerSeconds
        leaseSeconds = try c.decodeIfPresent(Double.self, forKey: .leaseSeconds) ?? leaseSeconds
        pollIntervalSeconds = try c.decodeIfPresent(Double.self, forKey: .pollIntervalSeconds) ?? pollIntervalSeconds
        sweepIntervalSeconds = try c.decodeIfPresent(Double.self, forKey: .sweepIntervalSeconds) ?? sweepIntervalSeconds
        schedulerIntervalSeconds =
            try c.decodeIfPresent(Double.self, forKey: .schedulerIntervalSeconds) ?? schedulerIntervalSeconds
        schedulerBatchSize = try c.decodeIfPresent(Int.self, forKey: .schedulerBatchSize) ?? schedulerBatchSize
        maximumRecheckHours = try c.decodeIfPresent(Double.self, forKey: .maximumRecheckHours) ?? maximumRecheckHours
        unknownReferenceAttempts =
            try c.decodeIfPresent(Int.self, forKey: .unknownReferenceAttempts) ?? unknownReferenceAttempts
        metricsSampleSeconds = try c.decodeIfPresent(Double.self, forKey: .metricsSampleSeconds) ?? metricsSampleSeconds
        shutdownTimeoutSeconds =
            try c.decodeIfPresent(Double.self, forKey: .shutdownTimeoutSeconds) ?? shutdownTimeoutSeconds
        if c.contains(.retry) {
            try SettingsKey.rejectUnknownKeys(
                in: try c.superDecoder(forKey: .retry), known: SettingsKey.propertyNames(of: RetryPolicy()),
                section: "pipeline.retry")
            retry = try c.decode(RetryPolicy.self, forKey: .retry)
        }
    }
}
