/// What ``ShutdownLimit`` logs about the work in hand when it stops a group: `ondo serve`'s workers finish batches,
/// `ondo generate --live` writes orders, reviews and sign-ups.
public struct ShutdownWording: Sendable {
    /// The line on the first signal: what the group finishes before it stops.
    public var onFirstSignal: String
    /// What becomes of the work in hand when the shutdown is cut short, after "shutdown cut short by <reason>: ".
    public var whenCutShort: String

    /// Wording of its own.
    public init(onFirstSignal: String, whenCutShort: String) {
        self.onFirstSignal = onFirstSignal
        self.whenCutShort = whenCutShort
    }

    /// The pipeline's (`ondo serve`, `ondo demo`'s live step): workers holding leased batches.
    public static let pipeline = ShutdownWording(
        onFirstSignal: "shutting down: the workers finish the batches in hand (a second signal stops them at once)",
        whenCutShort: "the batches in hand are abandoned (nothing half written) and given back")

    /// `ondo generate --live`'s: a live shop writing the events that are due, each in a transaction of its own (an
    /// order with its items).
    public static let liveShop = ShutdownWording(
        onFirstSignal: "stopping: the live shop finishes writing the orders, reviews and sign-ups due (a second "
            + "signal stops it at once)",
        whenCutShort: "the order, review or sign-up being written is rolled back (an order with its items); those "
            + "written before it stay")
}
