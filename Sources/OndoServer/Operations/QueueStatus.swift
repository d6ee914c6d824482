import CRMStore

/// What `ondo reviews status` shows: the review queue's counts, and the customer-work queue's (customers whose
/// state is to be recomputed after an order, a signup or a moved review).
public struct QueueStatus: Sendable, Equatable {
    /// `crm.review_work`, with the deferred queue calls of both queues.
    public var reviews: WorkQueueStatus
    /// `crm.customer_work` (its `deferredCalls` is 0: they are counted in `reviews`).
    public var customerWork: WorkQueueStatus
}
