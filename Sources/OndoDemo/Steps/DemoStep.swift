/// One step of `ondo demo`. Steps run in order on a shared context; a new step (a promotion campaign, say)
/// is a new type added to ``OndoDemo/steps``.
public protocol DemoStep: Sendable {
    /// What the step does, shown as its heading.
    var title: String { get }
    /// Does the step's work, recording what later steps need in `context`.
    func run(_ context: inout DemoContext) async throws
}
