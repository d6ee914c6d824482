import Foundation
import ArgumentParser
import CRMStore
import OndoServer

/// `ondo reviews`: the review queue.
struct ReviewsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reviews",
        abstract: "The review queue: status, retrying discarded reviews, re-scoring after a model change.",
        subcommands: [ReviewsStatusCommand.self, ReviewsRetryCommand.self, ReviewsRescoreCommand.self])
}

/// `ondo reviews status`.
struct ReviewsStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Backlog, age of the oldest unprocessed review, discarded reviews, recent throughput.",
        discussion: """
            Then the customer-work queue (customers to recompute after an order, a signup or a moved review): its \
            backlog, oldest unprocessed age and discarded recomputes (JSON: under "customer_work").
            Example: ondo reviews status --format json
            """)

    @OptionGroup var common: CommonOptions

    @Option(name: .long, help: "table for people; json for scripts (the review queue's keys at the top level).")
    var format: DetailFormat = .table

    func run() async throws {
        try await reportingFailures("reviews status") {
            let queues = try await common.withOperations(label: "ondo.reviews") { try await $0.queueStatus() }
            let status = queues.reviews
            let customers = queues.customerWork
            switch format {
            case .json:
                try JSONOutput.print(ReviewQueueStatusJSON(reviews: status, customerWork: customers))
            case .table:
                let n: (Int) -> String = NumberText.grouped
                let retryReviews = common.followUp("reviews retry --discarded")
                let retryCustomers = common.followUp("states retry --discarded")
                print(
                    """
                    backlog               \(n(status.backlog))  (\(n(status.pending)) pending, \(n(status.processing)) processing)
                    oldest unprocessed    \(Self.age(status.oldestUnprocessedSeconds, backlog: status.backlog))
                    completed             \(n(status.completed))
                    discarded             \(n(status.discarded))\(status.discarded > 0 ? "  (see report.discarded_reviews; \(retryReviews))" : "")
                    throughput            \(n(status.completedLastMinute)) in the last minute, \(String(format: "%.1f", Double(status.completedLastFiveMinutes) / 300))/s over 5 minutes
                    customer work         customers to recompute after an order, a signup or a moved review
                      backlog             \(n(customers.backlog))  (\(n(customers.pending)) pending, \(n(customers.processing)) processing)
                      oldest unprocessed  \(Self.age(customers.oldestUnprocessedSeconds, backlog: customers.backlog))
                      discarded           \(n(customers.discarded))\(customers.discarded > 0 ? "  (see report.discarded_customer_work; \(retryCustomers))" : "")
                    """)
                if status.deferredCalls > 0 {
                    print(
                        "deferred calls        \(n(status.deferredCalls))  (from shop transactions outside READ COMMITTED; "
                            + "a running ondo serve queues them within its sweep interval)")
                }
            }
        }
    }

    /// The oldest unprocessed row's age; "-" with nothing queued (it read "0.0 s", as if a row had just come).
    private static func age(_ seconds: Double, backlog: Int) -> String {
        backlog > 0 ? String(format: "%.1f s", seconds) : "-  (nothing queued)"
    }
}

/// `ondo reviews status --format json`: the review queue's counts at the top level (scripts rely on those keys:
/// keep them), its throughput and deferred calls, and the customer-work queue's counts under `customer_work`.
struct ReviewQueueStatusJSON: Encodable {
    var reviews: QueueCountsJSON
    var completedLastMinute: Int
    var completedLastFiveMinutes: Int
    var deferredCalls: Int
    var customerWork: QueueCountsJSON

    init(reviews: WorkQueueStatus, customerWork: WorkQueueStatus) {
        self.reviews = QueueCountsJSON(reviews)
        completedLastMinute = reviews.completedLastMinute
        completedLastFiveMinutes = reviews.completedLastFiveMinutes
        deferredCalls = reviews.deferredCalls
        self.customerWork = QueueCountsJSON(customerWork)
    }

    enum CodingKeys: String, CodingKey {
        case completedLastMinute = "completed_last_minute", completedLastFiveMinutes = "completed_last_5_minutes"
        case deferredCalls = "deferred_calls", customerWork = "customer_work"
    }

    func encode(to encoder: any Encoder) throws {
        try reviews.encode(to: encoder)  // into the same object
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(completedLastMinute, forKey: .completedLastMinute)
        try container.encode(completedLastFiveMinutes, forKey: .completedLastFiveMinutes)
        try container.encode(deferredCalls, forKey: .deferredCalls)
        try container.encode(customerWork, forKey: .customerWork)
    }
}

/// The counts of one work queue, under the keys both queues use in `ondo reviews status --format json`.
struct QueueCountsJSON: Encodable {
    var backlog: Int
    var pending: Int
    var processing: Int
    var completed: Int
    var discarded: Int
    var oldestUnprocessedSeconds: Double

    init(_ status: WorkQueueStatus) {
        backlog = status.backlog
        pending = status.pending
        processing = status.processing
        completed = status.completed
        discarded = status.discarded
        oldestUnprocessedSeconds = status.oldestUnprocessedSeconds
    }

    enum CodingKeys: String, CodingKey {
        case backlog, pending, processing, completed, discarded
        case oldestUnprocessedSeconds = "oldest_unprocessed_seconds"
    }
}

/// `ondo reviews retry`.
struct ReviewsRetryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry",
        abstract: "Put discarded reviews back in the queue with a fresh attempt count.",
        discussion: """
            Give --discarded (every discarded review) or one or more --id (those reviews); both, or neither, is a \
            usage error (exit status 64).
            Prints "re-queued N discarded reviews". A given id that was not discarded (unknown, still queued or \
            completed) is left alone and named on standard error; the others are re-queued and the exit status is 0.
            `ondo reviews status` counts the discarded reviews; the view report.discarded_reviews lists each with \
            its error.
            Examples:
              ondo reviews retry --discarded
              ondo reviews retry --id 123 --id 456
            """)

    @OptionGroup var common: CommonOptions

    @Flag(name: .long, help: "Re-queue every discarded review (report.discarded_reviews lists them with their error).")
    var discarded = false

    @Option(
        name: .long, parsing: .unconditionalSingleValue, help: "A discarded review's id (repeatable).",
        transform: IdArgument.parse)
    var id: [Int64] = []

    private static let retry = DiscardedWorkRetry(queue: .reviews, singular: "review", plural: "reviews")

    func validate() throws {
        try Self.retry.validate(everyDiscarded: discarded, ids: id)
    }

    func run() async throws {
        try await Self.retry.run(common, command: "reviews retry", everyDiscarded: discarded, ids: id)
    }
}

/// `ondo reviews rescore`.
struct ReviewsRescoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rescore",
        abstract: "Score reviews again with the current model (backfill after a model change).",
        discussion: """
            Re-queues the reviews the current model has not scored (or every review with --all), optionally only \
            those written since a date, then scores them in this process with a progress bar; running `ondo serve` \
            processes share the work. Restart the servers with the new model first, or they keep scoring with the \
            old one. A database that fails for a while (a restart, a failover, a statement timeout) is waited out, \
            for up to 120 s of failures in a row; what was re-queued stays queued if it stops.
            Example: ondo reviews rescore --since 2026-11-01 --model models/new.model
            """)

    @OptionGroup var common: CommonOptions

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Only reviews written at or after this time: YYYY-MM-DD (midnight in this machine's time zone) or "
                + "ISO 8601 with a zone (2026-11-01T09:00:00Z)."))
    var since: String?

    @Flag(name: .long, help: "Re-score every selected review, even those the current model already scored.")
    var all = false

    @OptionGroup var serverModel: ServerModelOption

    func validate() throws {
        if let since, DateArgument.parse(since) == nil {
            throw ValidationError("--since must be \(DateArgument.accepted) (it is \(since))")
        }
    }

    func run() async throws {
        // A date ahead (2062 for 2026) re-queues nothing the shop has written yet, and the run reads as a success.
        if let since, let date = DateArgument.parse(since), date > Date() {
            StandardError.write(
                "ondo reviews rescore: --since \(since) is in the future: only reviews dated after it are re-queued")
        }
        // Without --all, which would re-queue every review again; with the selection and the model of this run.
        let rerun = common.followUp(
            "reviews rescore",
            options: (since.map { ["--since", $0] } ?? []) + (serverModel.model.map { ["--model", $0] } ?? []))
        try await reportingFailures("reviews rescore") {
            let outcome = try await common.withOperations(
                label: "ondo.reviews", configure: { serverModel.apply(to: &$0) }
            ) { operations in
                defer { StandardError.endLine() }
                let progress = ProgressLine(unit: "reviews")
                return try await operations.rescore(
                    since: since.flatMap(DateArgument.parse), everyReview: all, rerun: rerun
                ) { progress.show($0) }
            }
            print(outcome.summary)
        }
    }
}
