/// What a training run reports as it goes, for progress display.
public enum TrainingEvent: Sendable {
    /// Data prepared and network built.
    case started(
        trainingExamples: Int, validationExamples: Int, vocabularySize: Int, parameters: Int, batchesPerEpoch: Int)
    /// Some batches of an epoch are done.
    case progress(TrainingProgress)
    /// An epoch is done and validated; `best` when its weights are the best so far.
    case epochFinished(EpochRecord, best: Bool)
    /// Training stopped before the last epoch because validation stopped improving.
    case stoppedEarly(afterEpoch: Int)
    /// A calibration temperature was fitted on the validation split.
    case calibrated(temperature: Float)
}

/// Where an epoch stands.
public struct TrainingProgress: Sendable {
    /// 1-based epoch.
    public var epoch: Int
    /// Epochs planned.
    public var epochs: Int
    /// Batches done in this epoch.
    public var batch: Int
    /// Batches in this epoch.
    public var batches: Int
    /// Reviews done in this epoch.
    public var reviews: Int
    /// Seconds since the epoch started.
    public var elapsed: Double
    /// Mean training loss so far in this epoch.
    public var loss: Double
    /// Training accuracy so far in this epoch.
    public var accuracy: Double

    /// Reviews per second so far.
    public var reviewsPerSecond: Double { elapsed > 0 ? Double(reviews) / elapsed : 0 }
    /// Seconds left in this epoch at the current pace.
    public var remaining: Double { batch > 0 ? elapsed * Double(batches - batch) / Double(batch) : 0 }
}
