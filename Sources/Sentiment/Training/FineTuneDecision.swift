/// Whether a retrained model may be written, judged on held-out reviews that neither model was trained on: a
/// model less accurate there than the one it is meant to replace is refused unless the operator forces it.
public enum FineTuneDecision: Sendable, Equatable {
    /// Write it: there is no base model to compare with, or the new model is at least as accurate.
    case write
    /// Write it although it is less accurate than the base model, because the operator forced it.
    case writeWorse
    /// Do not write it: it is less accurate than the base model.
    case refuse

    /// The decision for a new model of `newAccuracy` against a base model of `baseAccuracy` (nil: no base), both
    /// measured on the same held-out reviews.
    public init(baseAccuracy: Double?, newAccuracy: Double, force: Bool) {
        guard let baseAccuracy, newAccuracy < baseAccuracy else {
            self = .write
            return
        }
        self = force ? .writeWorse : .refuse
    }

    /// True unless the model must not be written.
    public var writes: Bool { self != .refuse }
}
