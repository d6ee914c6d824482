import CRM
import CRMStore

extension CustomerStateStore {
    /// The default rules, a re-check at least daily, and the scores of `test-model` preferred: the state store the
    /// store-level tests recompute with.
    public static let forTests = CustomerStateStore(
        evaluator: StateEvaluator(), maximumRecheckInterval: 86_400, preferredModelVersion: "test-model")
}

extension ReviewResultStore {
    /// Writes the scores of `test-model` and recomputes with ``CustomerStateStore/forTests``.
    public static let forTests = ReviewResultStore(modelVersion: "test-model", states: .forTests)
}
