import ShopSimulator

/// What the demo tells its user, in order; the CLI decides how it looks.
public enum DemoEvent: Sendable {
    /// A step begins.
    case step(number: Int, title: String)
    /// A remark within a step.
    case note(String)
    /// The generated shop was written.
    case shopWritten(ShopWriteReport)
    /// An earlier run's shop is used as it is.
    case shopReused([ShopTable: Int])
    /// The pipeline and the live shop are running.
    case liveStarted(modelVersion: String, workers: Int, rate: Double, seconds: Double)
    /// A periodic look at the pipeline.
    case live(DemoSnapshot)
    /// The live shop stopped; the pipeline is finishing the backlog.
    case catchingUp(backlog: Int)
    /// The end result.
    case summary(DemoSummary)
}
