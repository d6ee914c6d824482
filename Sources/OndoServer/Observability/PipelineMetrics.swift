import CRM
import Prometheus

/// The review pipeline's Prometheus metrics, registered in one registry that `/metrics` exposes.
public struct PipelineMetrics: Sendable {
    /// The registry behind `/metrics`.
    public let registry: PrometheusCollectorRegistry
    /// Reviews scored and applied (work rows completed, including quarantined ones).
    let reviewsProcessed: Counter
    /// Reviews quarantined (empty body, unknown customer or product), by reason.
    let reviewsQuarantined: [QuarantineReason: Counter]
    /// Reviews moved to `discarded` after their last attempt.
    let reviewsDiscarded: Counter
    /// Failed attempts that will be retried.
    let reviewsRetried: Counter
    /// Where a recomputation came from (the `source` label).
    enum RecomputeSource: String, CaseIterable {
        /// A review batch.
        case reviews = "review"
        /// An order or signup (customer work).
        case customerWork = "customer_work"
        /// The time-based scheduler.
        case scheduler
    }

    /// Customer states recomputed, by source.
    private let recomputations: [RecomputeSource: Counter]
    /// State transitions by the state entered.
    private let transitions: [CustomerState: Counter]
    /// Reviews waiting or in flight (`pending` + `processing`), sampled.
    let backlog: Gauge
    /// Age in seconds of the oldest review not yet processed, sampled; 0 when none waits.
    let oldestUnprocessedSeconds: Gauge
    /// Seconds from claiming a batch to committing it.
    let batchSeconds: ValueHistogram
    /// Seconds from the shop's commit (the work row's `enqueued_at`) to the state written.
    let pickupLatencySeconds: ValueHistogram

    /// Creates and registers the metrics in `registry`.
    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        reviewsProcessed = registry.makeCounter(name: "ondo_reviews_processed_total", help: "Reviews scored and applied.")
        reviewsQuarantined = Dictionary(uniqueKeysWithValues: QuarantineReason.allCases.map { reason in
            (reason, registry.makeCounter(
                name: "ondo_reviews_quarantined_total", labels: [("reason", reason.rawValue)], help: "Reviews set aside, by reason."))
        })
        reviewsDiscarded = registry.makeCounter(
            name: "ondo_reviews_discarded_total", help: "Reviews discarded after their last failed attempt.")
        reviewsRetried = registry.makeCounter(name: "ondo_reviews_retried_total", help: "Failed review attempts scheduled for retry.")
        recomputations = Dictionary(uniqueKeysWithValues: RecomputeSource.allCases.map { source in
            (source, registry.makeCounter(
                name: "ondo_state_recomputations_total", labels: [("source", source.rawValue)],
                help: "Customer states recomputed, by what asked for it."))
        })
        transitions = Dictionary(uniqueKeysWithValues: CustomerState.allCases.map { state in
            (state, registry.makeCounter(
                name: "ondo_state_transitions_total", labels: [("to_state", state.rawValue)],
                help: "Customer state transitions, by the state entered."))
        })
        backlog = registry.makeGauge(name: "ondo_review_backlog", help: "Reviews pending or in flight.")
        oldestUnprocessedSeconds = registry.makeGauge(
            name: "ondo_review_oldest_unprocessed_seconds", help: "Age of the oldest review not yet processed.")
        let buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]
        batchSeconds = registry.makeValueHistogram(
            name: "ondo_review_batch_seconds", buckets: buckets, help: "Seconds from claiming a review batch to committing it.")
        pickupLatencySeconds = registry.makeValueHistogram(
            name: "ondo_review_pickup_latency_seconds", buckets: buckets,
            help: "Seconds from a review's commit to its customer's state written.")
    }

    /// Counts state recomputations from `source`.
    func recomputed(_ source: RecomputeSource, count: Int) {
        recomputations[source]?.increment(by: Int64(count))
    }

    /// Counts a transition into `state`.
    func transitioned(to state: CustomerState) {
        transitions[state]?.increment()
    }

    /// The Prometheus text exposition of every metric.
    public func exposition() -> String {
        registry.emitToString()
    }
}
