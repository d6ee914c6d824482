/// Turns training events into lines for a person watching: progress bars at most every
/// `interval` seconds, one summary line per epoch.
public struct TrainingReporter: Sendable {
    /// A line to show.
    public struct Line: Sendable, Equatable {
        /// The text.
        public var text: String
        /// True for a progress bar that the next line may overwrite.
        public var transient: Bool
    }

    private let interval: Double
    private var lastProgress = -Double.infinity
    private var lastEpoch = 0
    /// False when training has no validation split: its figures would be measured on nothing.
    private var validating = true

    /// A reporter that shows a progress bar at most every `interval` seconds.
    public init(interval: Double) { self.interval = interval }

    /// The line for `event`, or nil when it is too soon for another progress bar.
    public mutating func line(for event: TrainingEvent) -> Line? {
        let g: (Int) -> String = GroupedNumber.text
        switch event {
        case .started(let training, let validation, let vocabulary, let parameters, let batches):
            validating = validation > 0
            return Line(
                text: "training on \(g(training)) reviews, validating on \(g(validation)); vocabulary "
                    + "\(g(vocabulary)) tokens, \(g(parameters)) parameters, \(g(batches)) batches per epoch",
                transient: false)
        case .progress(let progress):
            if progress.epoch != lastEpoch {
                lastEpoch = progress.epoch
                lastProgress = -Double.infinity
            }
            guard progress.elapsed - lastProgress >= interval || progress.batch == progress.batches else { return nil }
            lastProgress = progress.elapsed
            return Line(text: ProgressBar.line(progress), transient: true)
        case .epochFinished(let record, let best):
            return Line(
                text: "epoch \(record.epoch): loss \(ProgressBar.fixed(record.trainingLoss, 4)), "
                    + "accuracy \(ProgressBar.fixed(100 * record.trainingAccuracy, 2)) %; "
                    + (validating
                        ? "validation loss \(ProgressBar.fixed(record.validationLoss, 4)), accuracy "
                            + "\(ProgressBar.fixed(100 * record.validationAccuracy, 2)) %; " : "no validation split; ")
                    + "\(ProgressBar.duration(record.seconds)) at \(GroupedNumber.text(record.reviewsPerSecond)) reviews/s"
                    + (best ? "  (best so far)" : ""), transient: false)
        case .stoppedEarly(let epoch):
            return Line(text: "validation accuracy stopped improving: stopping after epoch \(epoch)", transient: false)
        case .calibrated(let temperature):
            return Line(text: "calibration temperature \(ProgressBar.fixed(Double(temperature), 3))", transient: false)
        }
    }
}
