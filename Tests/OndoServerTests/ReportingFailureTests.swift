import Logging
import ServiceLifecycle
import Synchronization
import Testing

@testable import OndoServer

/// `ReportingFailure` tells `ShutdownLimit` of a failed service at once: an error it throws, or a return while the
/// server is neither shutting down nor cancelled; a return asked for (a graceful shutdown, a cancellation) is not one.
@Suite struct ReportingFailureTests {
    /// The errors reported, in order.
    final class Reports: Sendable {
        private let errors = Mutex<[String]>([])
        var all: [String] { errors.withLock { $0 } }
        func add(_ error: any Error) { errors.withLock { $0.append("\(error)") } }
    }

    struct Failing: Service {
        struct Boom: Error, CustomStringConvertible { var description: String { "boom" } }
        func run() async throws { throw Boom() }
    }

    struct ReturningAtOnce: Service, CustomStringConvertible {
        var description: String { "returning-at-once" }
        func run() async throws {}
    }

    /// Runs until its graceful shutdown or cancellation, then returns.
    struct RunningUntilAsked: Service {
        func run() async throws {
            while !Task.isShuttingDownGracefully && !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(5))
            }
        }
    }

    @Test func aThrownErrorIsReportedAndRethrown() async throws {
        let reports = Reports()
        await #expect(throws: Failing.Boom.self) {
            try await ReportingFailure(service: Failing(), report: reports.add).run()
        }
        #expect(reports.all == ["boom"])
    }

    @Test func aReturnNobodyAskedForIsReportedAsAFailure() async throws {
        let reports = Reports()
        try await ReportingFailure(service: ReturningAtOnce(), report: reports.add).run()
        #expect(reports.all == ["the service returning-at-once stopped on its own, with no shutdown asked for"])
    }

    @Test func aReturnAfterCancellationIsNotAFailure() async throws {
        let reports = Reports()
        let running = Task { try await ReportingFailure(service: RunningUntilAsked(), report: reports.add).run() }
        try await Task.sleep(for: .milliseconds(20))
        running.cancel()
        try await running.value
        #expect(reports.all.isEmpty, "\(reports.all)")
    }

    @Test func aReturnOnGracefulShutdownIsNotAFailure() async throws {
        let reports = Reports()
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [.init(service: ReportingFailure(service: RunningUntilAsked(), report: reports.add))],
                gracefulShutdownSignals: [], cancellationSignals: [], logger: Logger(label: "test")))
        let running = Task { try await group.run() }
        try await Task.sleep(for: .milliseconds(20))
        await group.triggerGracefulShutdown()
        try await running.value
        #expect(reports.all.isEmpty, "\(reports.all)")
    }
}
