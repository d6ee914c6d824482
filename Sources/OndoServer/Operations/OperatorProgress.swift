/// Progress of a long operator command, for a progress bar.
public struct OperatorProgress: Sendable {
    /// What is being done (`re-queueing`, `scoring`, `recomputing`).
    public var phase: String
    /// Items done.
    public var done: Int
    /// Items in all (0 when unknown).
    public var total: Int
    /// Seconds since the phase began.
    public var elapsedSeconds: Double

    /// Creates a progress report.
    public init(phase: String, done: Int, total: Int, elapsedSeconds: Double) {
        self.phase = phase
        self.done = done
        self.total = total
        self.elapsedSeconds = elapsedSeconds
    }
}
