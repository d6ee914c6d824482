import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import Testing

@testable import OndoServer

/// `runPeriodically`, which the lease sweeper, the state scheduler and the queue monitor run on: it stops at once on
/// cancellation (a shutdown cut short) and on graceful shutdown, also in the middle of its pause, and a tick that
/// throws is logged and does not stop the later ones.
@Suite struct PeriodicTaskTests {
    /// "At once", against the pauses of an hour these tests use: in the full suite, busy threads delay a wake-up by
    /// seconds (3.3 s measured here, 23 s in WorkSignalTests), so a tighter bound would fail on a busy machine.
    static let promptly: Duration = .seconds(60)

    /// Counts ticks and keeps the messages logged, so a test can wait for one and read them.
    final class Record: Sendable {
        private let state = Mutex<(ticks: Int, messages: [String], stopped: Bool)>((0, [], false))
        var ticks: Int { state.withLock { $0.ticks } }
        var messages: [String] { state.withLock { $0.messages } }
        var stopped: Bool { state.withLock { $0.stopped } }
        func stop() { state.withLock { $0.stopped = true } }
        /// Counts a tick and returns its number (from 1).
        func tick() -> Int {
            state.withLock {
                $0.ticks += 1
                return $0.ticks
            }
        }
        func log(_ message: String) { state.withLock { $0.messages.append(message) } }

        /// Waits until `count` ticks have run (at most ``promptly``).
        func waitForTicks(_ count: Int) async throws {
            let deadline = ContinuousClock.now + PeriodicTaskTests.promptly
            while ticks < count {
                guard ContinuousClock.now < deadline else { throw WaitedTooLong(ticks: ticks, wanted: count) }
                try await Task.sleep(for: .milliseconds(5))
            }
        }

        /// Waits until ``stop()`` was called, at most `limit`; whether it was.
        func waitForStop(within limit: Duration) async throws -> Bool {
            let deadline = ContinuousClock.now + limit
            while !stopped, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
            return stopped
        }
    }

    struct WaitedTooLong: Error {
        var ticks: Int
        var wanted: Int
    }

    /// A LogHandler that hands each message to a ``Record``.
    struct RecordingLogHandler: LogHandler {
        let record: Record
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            record.log("\(event.level) \(event.message)")
        }
    }

    /// `runPeriodically` as a service, for a ServiceGroup's graceful shutdown.
    struct Periodic: Service {
        let interval: Duration
        let record: Record
        func run() async throws {
            let record = record
            await runPeriodically(every: interval, name: "test task", logger: Logger(label: "test")) {
                _ = record.tick()
            }
        }
    }

    private func logger(_ record: Record) -> Logger {
        Logger(label: "periodic-test") { _ in RecordingLogHandler(record: record) }
    }

    @Test(.timeLimit(.minutes(3)))
    func aCancelledTaskStopsDuringItsPause() async throws {
        let record = Record()
        let logger = logger(record)
        let task = Task {
            await runPeriodically(every: .seconds(3_600), name: "test task", logger: logger) { _ = record.tick() }
        }
        try await record.waitForTicks(1)
        let cancelled = ContinuousClock.now
        task.cancel()
        await task.value
        let stopped = cancelled.duration(to: .now)
        #expect(stopped < Self.promptly, "stopped \(stopped) after the cancellation, not after its hour's pause")
        #expect(record.ticks == 1)
        #expect(record.messages.isEmpty, "a cancellation is no failure: \(record.messages)")
    }

    /// A tick in progress when the task is cancelled ends with the CancellationError it throws, which is not logged
    /// as a failure, and no tick follows.
    @Test(.timeLimit(.minutes(3)))
    func aCancelledTickStopsTheTaskWithoutAWarning() async throws {
        let record = Record()
        let logger = logger(record)
        let task = Task {
            await runPeriodically(every: .milliseconds(1), name: "test task", logger: logger) {
                _ = record.tick()
                try await Task.sleep(for: .seconds(3_600))
            }
        }
        try await record.waitForTicks(1)
        let cancelled = ContinuousClock.now
        task.cancel()
        await task.value
        #expect(cancelled.duration(to: .now) < Self.promptly)
        #expect(record.ticks == 1)
        #expect(record.messages.isEmpty, "a cancellation is no failure: \(record.messages)")
    }

    @Test(.timeLimit(.minutes(3)))
    func aGracefulShutdownStopsItDuringItsPause() async throws {
        let record = Record()
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [.init(service: Periodic(interval: .seconds(3_600), record: record))],
                gracefulShutdownSignals: [], cancellationSignals: [], logger: Logger(label: "test")))
        let running = Task {
            try await group.run()
            record.stop()
        }
        try await record.waitForTicks(1)
        await group.triggerGracefulShutdown()
        let stopped = try await record.waitForStop(within: Self.promptly)
        running.cancel()  // a task that missed the graceful shutdown would otherwise sleep for an hour
        try await running.value
        #expect(stopped, "still running \(Self.promptly) after the graceful shutdown")
        #expect(record.ticks == 1)
    }

    /// "A failing run is logged and retried next time": ticks that throw are each logged as a warning with the
    /// task's name and error, and the ticks after them run.
    @Test(.timeLimit(.minutes(3)))
    func aFailingTickIsLoggedAndTheNextTicksRun() async throws {
        struct Broken: Error, CustomStringConvertible {
            var description: String { "broken tick" }
        }
        let record = Record()
        let logger = logger(record)
        let task = Task {
            await runPeriodically(every: .milliseconds(10), name: "test task", logger: logger) {
                if record.tick() <= 2 { throw Broken() }
            }
        }
        try await record.waitForTicks(5)
        task.cancel()
        await task.value
        let warnings = record.messages.filter { $0 == "warning test task failed; trying again next time" }
        #expect(warnings.count == 2, "\(record.messages)")
        #expect(record.messages.count == 2, "only the two failures are logged: \(record.messages)")
    }
}
