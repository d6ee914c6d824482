import ServiceLifecycle

/// A service that reports its error the moment it throws. A `ServiceGroup` throws a service's error only once it has
/// cancelled the other services and all of them have stopped — never, when a worker is stuck in a database call that
/// cancelling cannot end — so ``ShutdownLimit`` learns of the failure here instead, and bounds that wait.
struct ReportingFailure: Service, CustomStringConvertible {
    let service: any Service
    let report: @Sendable (any Error) -> Void

    /// The wrapped service's name, which ServiceLifecycle logs.
    var description: String { "\(service)" }

    func run() async throws {
        do {
            try await service.run()
        } catch {
            report(error)
            throw error
        }
    }
}
