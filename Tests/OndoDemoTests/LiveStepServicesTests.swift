import Logging
import OndoServer
import ServiceLifecycle
import Synchronization
import Testing

@testable import OndoDemo

/// The live step's group as `ondo demo` builds it (``LiveStep/groupServices(view:pipeline:simulator:reportFailure:)``),
/// run under ``ShutdownLimit`` as the step runs it, with stand-ins for its services: a pipeline service that fails
/// while another is stuck in a call that cancelling cannot end (a worker waiting in the database). The group alone
/// throws only once every service has stopped, so the demo waited without bound; its pipeline's services report
/// their failure (``ReportingFailure``, as in `ondo serve`), and the step ends with the failure within the limit's
/// patience.
@Suite struct LiveStepServicesTests {
    struct Boom: Error, CustomStringConvertible { var description: String { "boom" } }

    /// Fails at once.
    struct Failing: Service {
        func run() async throws { throw Boom() }
    }

    /// Waits, deaf to cancellation, until the test opens the gate.
    struct Stuck: Service {
        let gate: Gate
        func run() async throws { await gate.wait() }
    }

    /// Runs until the group shuts down or is cancelled, as the view and the simulator do within the demo's duration.
    struct RunningUntilAsked: Service {
        func run() async throws { try? await gracefulShutdown() }
    }

    /// A one-way gate: `wait()` returns once `open()` was called, whether before or after.
    final class Gate: Sendable {
        private let state = Mutex<(open: Bool, waiter: CheckedContinuation<Void, Never>?)>((false, nil))

        func wait() async {
            await withCheckedContinuation { continuation in
                let openAlready = state.withLock { state in
                    if !state.open { state.waiter = continuation }
                    return state.open
                }
                if openAlready { continuation.resume() }
            }
        }

        func open() {
            let waiter = state.withLock { state in
                state.open = true
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume()
        }
    }

    @Test func aFailedPipelineServiceEndsTheStepWhileAnotherIsStuck() async throws {
        let gate = Gate()
        let logger = Logger(label: "live-step-test")
        let limit = ShutdownLimit(limitSeconds: 600, logger: logger)
        let started = ContinuousClock.now
        // Unstructured: a test that fails must still end, once the gate opens, rather than cancel the limit's wait.
        let running = Task {
            try await limit.run(signals: AsyncStream { $0.finish() }) { reportFailure in
                ServiceGroup(
                    configuration: ServiceGroupConfiguration(
                        services: LiveStep.groupServices(
                            view: RunningUntilAsked(), pipeline: [Stuck(gate: gate), Failing()],
                            simulator: RunningUntilAsked(), reportFailure: reportFailure),
                        gracefulShutdownSignals: [], cancellationSignals: [], logger: logger))
            } giveBack: { _ in
                // The stand-ins hold no leases.
            }
        }
        // A bound, so that a step that waits without end fails the test instead of holding it; not a measurement.
        let ended = await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                _ = await running.result
                return true
            }
            group.addTask {
                // Generous: in the full suite on two cores the step ended 16 s in (1.0 s when run alone).
                try? await Task.sleep(for: .seconds(120))
                return false
            }
            let first = await group.next() ?? false
            let seconds = started.duration(to: .now) / .seconds(1)
            let outcome = first ? "ended" : "still waiting"
            print("live step with a failed and a stuck pipeline service: \(outcome) after \(seconds) s")
            gate.open()  // lets the stuck service return, so that the group (and a step still waiting) ends
            group.cancelAll()
            return first
        }
        #expect(ended, "the step still waited for the stuck service 120 s after the failure")
        await #expect(throws: Boom.self) { try await running.value }
    }
}
