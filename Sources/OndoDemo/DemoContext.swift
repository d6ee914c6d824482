import Logging
import OndoServer
import ShopSimulator

/// What the demo's steps share, filled in as they run.
public struct DemoContext: Sendable {
    /// The demo's options.
    public let options: DemoOptions
    /// The configuration; the database step points it at the embedded cluster when one is used.
    public var configuration: OndoConfiguration
    /// The embedded cluster's options, when the demo runs on one.
    public let embeddedOptions: EmbeddedDatabase.Options?
    /// The embedded cluster, once started.
    public var embedded: EmbeddedDatabase?
    /// The generated shop and its connection, once the shop step ran.
    public var shop: ShopSimulation?
    /// True when the user interrupted the live step (Ctrl-C).
    public var interrupted = false
    /// The live shop's final figures.
    public var liveStatistics = LiveWriteStatistics()
    /// Seconds the live shop wrote (its duration, or less after Ctrl-C).
    public var liveSeconds = 0.0
    /// Reviews in the shop when the live step began (its history).
    public var reviewsBeforeLive = 0
    /// Where logs go.
    public let logger: Logger
    /// Where the user's messages go.
    public let output: @Sendable (DemoEvent) -> Void
    /// SIGTERM and SIGINT, trapped when the demo started, handled as `ondo serve` handles them: before the live step
    /// a first one stops the demo after the step in hand (status 0); in it, ``ShutdownLimit`` takes them; after it,
    /// one ends the demo at once with 128 + its number.
    var signals: ServeSignals?

    /// Tells the user something.
    public func tell(_ event: DemoEvent) {
        output(event)
    }
}
