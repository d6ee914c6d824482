import ServiceLifecycle

/// A service that reports its failure the moment it happens: an error it throws, or a return nobody asked for (no
/// shutdown, no cancellation), which its `ServiceGroup` treats as a failure too. The group throws only once it has
/// cancelled the other services and all of them have stopped — never, when a worker is stuck in a database call that
/// cancelling cannot end — so ``ShutdownLimit`` learns of the failure here instead, and bounds that wait. `ondo serve`
/// wraps each of its services, `ondo demo` those of its pipeline.
public struct ReportingFailure: Service, CustomStringConvertible {
    let service: any Service
    let report: @Sendable (any Error) -> Void

    /// `service`, reporting its failure to `report` (the function ``ShutdownLimit/run(signals:_:giveBack:)`` gives
    /// the group it makes).
    public init(service: any Service, report: @escaping @Sendable (any Error) -> Void) {
        self.service = service
        self.report = report
    }

    /// The wrapped service's name, which ServiceLifecycle logs.
    public var description: String { "\(service)" }

    /// Runs the wrapped service, reporting its error or a return nobody asked for.
    public func run() async throws {
        do {
            try await service.run()
        } catch {
            report(error)
            throw error
        }
        if !Task.isCancelled && !Task.isShuttingDownGracefully {
            report(ServiceFinishedEarly(service: description))
        }
    }
}

/// A service of `ondo serve` (or of `ondo demo`'s pipeline) returned with no shutdown asked for: what it did stops
/// with it, so the server (or the demo's live step) stops as if it had failed.
struct ServiceFinishedEarly: Error, CustomStringConvertible {
    let service: String

    var description: String { "the service \(service) stopped on its own, with no shutdown asked for" }
}
