import CRM
import CRMStore
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
    /// Customer work (an order or signup) moved to `discarded` after its last attempt.
    let customerWorkDiscarded: Counter
    /// Failed customer-work attempts that will be retried.
    let customerWorkRetried: Counter
    /// Customers whose time-based recompute failed; their recheck is postponed.
    let schedulerFailures: Counter
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
    /// Reviews waiting or in flight (`pending` + `processing`), sampled; NaN before the first sample and while the
    /// queue cannot be read.
    let backlog: Gauge
    /// Age in seconds of the oldest review not yet processed, sampled; 0 when none waits; NaN as `backlog`.
    let oldestUnprocessedSeconds: Gauge
    /// Seconds from claiming a batch to committing it.
    let batchSeconds: ValueHistogram
    /// Seconds from the shop's commit (the work row's `enqueued_at`) to the state written.
    let pickupLatencySeconds: ValueHistogram

    /// Creates and registers the metrics in `registry`.
    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        func counter(_ name: String, _ help: String, labels: [(String, String)] = []) -> Counter {
            registry.makeCounter(descriptor: .named(name, help: help), labels: labels)
        }
        /// One counter of `name` per case of `Key`, labelled `label` = the case's raw value.
        func counters<Key: CaseIterable & RawRepresentable & Hashable>(
            _ name: String, _ help: String, by label: String, _: Key.Type
        ) -> [Key: Counter] where Key.RawValue == String {
            Dictionary(
                uniqueKeysWithValues: Key.allCases.map { key in
                    (key, counter(name, help, labels: [(label, key.rawValue)]))
                })
        }
        func gauge(_ name: String, _ help: String) -> Gauge {
            registry.makeGauge(descriptor: .named(name, help: help))
        }
        func histogram(_ name: String, _ help: String) -> ValueHistogram {
            let buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]
            return registry.makeValueHistogram(descriptor: .named(name, help: help), buckets: buckets)
        }
        reviewsProcessed = counter("ondo_reviews_processed_total", "Reviews scored and applied.")
        reviewsQuarantined = counters(
            "ondo_reviews_quarantined_total", "Reviews set aside, by reason.", by: "reason", QuarantineReason.self)
        reviewsDiscarded = counter("ondo_reviews_discarded_total", "Reviews discarded after their last failed attempt.")
        reviewsRetried = counter(
            "ondo_reviews_retried_total",
            "Review attempts put back for a later try: failed, or waiting for their customer or product.")
        customerWorkDiscarded = counter(
            "ondo_customer_work_discarded_total",
            "Customer work (orders, signups) discarded after its last failed attempt.")
        customerWorkRetried = counter(
            "ondo_customer_work_retried_total", "Failed customer-work attempts scheduled for retry.")
        schedulerFailures = counter(
            "ondo_scheduler_failures_total",
            "Customers whose time-based recompute failed (their recheck is postponed).")
        recomputations = counters(
            "ondo_state_recomputations_total", "Customer states recomputed, by what asked for it.", by: "source",
            RecomputeSource.self)
        transitions = counters(
            "ondo_state_transitions_total", "Customer state transitions, by the state entered.", by: "to_state",
            CustomerState.self)
        backlog = gauge("ondo_review_backlog", "Reviews pending or in flight.")
        oldestUnprocessedSeconds = gauge(
            "ondo_review_oldest_unprocessed_seconds", "Age of the oldest review not yet processed.")
        // Unknown until the queue is first sampled (`ondo serve` answers while it waits for its database).
        backlog.set(.nan)
        oldestUnprocessedSeconds.set(.nan)
        batchSeconds = histogram("ondo_review_batch_seconds", "Seconds from claiming a review batch to committing it.")
        pickupLatencySeconds = histogram(
            "ondo_review_pickup_latency_seconds", "Seconds from a review's commit to its customer's state written.")
    }

    /// Counts state recomputations from `source`.
    func recomputed(_ source: RecomputeSource, count: Int) {
        recomputations[source]?.increment(by: Int64(count))
    }

    /// Counts `count` rows of `table` moved to `discarded` after their last attempt.
    func discarded(_ count: Int, from table: WorkQueue.Table) {
        (table == .reviews ? reviewsDiscarded : customerWorkDiscarded).increment(by: Int64(count))
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

extension MetricNameDescriptor {
    /// A descriptor whose full name is `name` as written (no namespace or unit parts to join).
    static func named(_ name: String, help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }
}
