/// What a live writer has inserted so far.
public struct LiveWriteStatistics: Sendable, Equatable {
    /// Customers signed up.
    public var customers = 0
    /// Orders placed (each with its items).
    public var orders = 0
    /// Reviews written.
    public var reviews = 0
    /// Seconds since the writer started.
    public var elapsedSeconds = 0.0

    /// No events yet.
    public init() {}

    /// Events of every kind.
    public var events: Int { customers + orders + reviews }
    /// Events per second since the start.
    public var eventsPerSecond: Double { elapsedSeconds > 0 ? Double(events) / elapsedSeconds : 0 }
}
