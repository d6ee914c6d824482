import Logging
import ServiceLifecycle
import UnixSignals

/// How `ondo serve` stops. The first SIGTERM or SIGINT shuts its service group down gracefully: the workers stop
/// claiming and finish the batches in hand. A second signal, or the time limit passing first, cuts that short: the
/// group is cancelled (a worker writes nothing more, and the pipeline's pool cancels the statement a worker waits
/// in, so that its transaction rolls back and unlocks its rows), the leases still held are given back once the group
/// has stopped, or without it once ``cancellationPatience`` has passed, and `run` throws ``ShutdownCutShort``; all
/// within ``giveBackPatience`` of the cut. A service that fails (before any signal) makes the group cancel the others,
/// and the same bound applies from the failure: the leases are given back once the group has stopped, or without it
/// once ``cancellationPatience`` has passed, and `run` throws the service's error, within ``giveBackPatience``.
///
/// swift-service-lifecycle runs the graceful shutdown and the cancellation; this adds what it lacks for that. It
/// stops listening after the first graceful-shutdown signal (and refuses the same signal for cancellation), its
/// `maximumGracefulShutdownDuration` escalates to cancellation without telling the caller (who then cannot give
/// leases back or exit non-zero), and its `maximumCancellationDuration` ends in `fatalError`, a crash report
/// rather than an exit status. `ondo demo` runs its live step under it too.
public struct ShutdownLimit: Sendable {
    /// How long the workers may take to finish the batches in hand after the first signal (seconds).
    let limitSeconds: Double
    let logger: Logger
    /// What the lines it logs call the work in hand.
    let wording: ShutdownWording

    /// A limit of `limitSeconds` (`pipeline.shutdownTimeoutSeconds`) from the first signal; its lines speak of the
    /// work in hand in `wording` (the pipeline's batches unless told otherwise).
    public init(limitSeconds: Double, logger: Logger, wording: ShutdownWording = .pipeline) {
        self.limitSeconds = limitSeconds
        self.logger = logger
        self.wording = wording
    }

    /// The longest time from the cut to the exit: waiting for the services to stop, then for the database to take the
    /// leases back.
    static let giveBackPatience: Duration = .seconds(2)
    /// The longest wait, from the cut, for the cancelled services to stop before the leases are given back: a worker
    /// whose statement could not be cancelled (an unreachable database) is left behind, and its process exits without
    /// it (its transaction is rolled back when its connection closes).
    static let cancellationPatience: Duration = .seconds(1)

    private enum Event: Sendable {
        case signal(UnixSignal)
        case timeLimit
        case serviceFailed(any Error)
        case groupFinished(Result<Void, any Error>)
        case patienceOver
    }

    /// Runs the group `makeGroup` makes (which must trap no signals itself) until it finishes, and returns or throws
    /// as it does (running `giveBack` before it throws) — or throws ``ShutdownCutShort`` after running `giveBack`
    /// (with the patience left) when its graceful shutdown is cut short by `signals` (``ServeSignals``, trapped when
    /// the server started). The group's services call the function `makeGroup` is given when they fail
    /// (``ReportingFailure``): a failed service's error is thrown, after `giveBack`, without waiting longer than
    /// ``cancellationPatience`` for the group to stop.
    public func run(
        signals: AsyncStream<UnixSignal>,
        _ makeGroup: (_ reportFailure: @escaping @Sendable (any Error) -> Void) -> ServiceGroup,
        giveBack: @escaping @Sendable (Duration) async -> Void
    ) async throws {
        let (events, sink) = AsyncStream.makeStream(of: Event.self)
        let group = makeGroup { error in sink.yield(.serviceFailed(error)) }
        // Unstructured on purpose: a cancelled group whose worker is stuck in a database call must not hold the exit.
        let running = Task {
            do {
                try await group.run()
                sink.yield(.groupFinished(.success(())))
            } catch {
                sink.yield(.groupFinished(.failure(error)))
            }
        }
        let listening = Task {
            for await signal in signals { sink.yield(.signal(signal)) }
        }
        var timers: [Task<Void, Never>] = []
        defer {
            listening.cancel()
            for timer in timers { timer.cancel() }
        }
        var first: UnixSignal?
        var cutShort: ShutdownCutShort?
        var failure: (any Error)?
        var cutAt = ContinuousClock.now
        for await event in events {
            switch event {
            case .serviceFailed(let error):
                // After a signal, the time limit bounds the wait already; the first failure is the one that counts
                // (the others' errors may be their cancellation).
                guard first == nil, failure == nil else { continue }
                failure = error
                cutAt = .now
                timers.append(Self.after(Self.cancellationPatience, yield: .patienceOver, to: sink))
            case .groupFinished(let result):
                if let cutShort {
                    // The workers' transactions are over (committed before the cut or rolled back): all rows are free.
                    await giveBack(Self.patienceLeft(since: cutAt))
                    throw cutShort
                }
                if case .failure = result {
                    // A service failed (threw, or returned early) and the group cancelled the others: the workers'
                    // batches in hand were abandoned as on a cut, and go back to the queue the same way.
                    await giveBack(failure == nil ? Self.giveBackPatience : Self.patienceLeft(since: cutAt))
                }
                return try result.get()
            case .signal where failure != nil:
                continue  // the process is exiting already, within cancellationPatience
            case .signal(let signal) where first == nil:
                first = signal
                logger.info(
                    "\(wording.onFirstSignal)",
                    metadata: ["ondo.signal": "\(signal)", "ondo.shutdown_limit_seconds": "\(limitSeconds)"])
                await group.triggerGracefulShutdown()
                timers.append(Self.after(.seconds(limitSeconds), yield: .timeLimit, to: sink))
            case .signal(let signal):
                guard cutShort == nil else { continue }
                cutShort = ShutdownCutShort(signalNumber: signal.rawValue, bySecondSignal: true)
                cutAt = .now
                cancel(running, because: "a second signal", timers: &timers, sink: sink)
            case .timeLimit:
                guard cutShort == nil, let first else { continue }
                cutShort = ShutdownCutShort(signalNumber: first.rawValue, bySecondSignal: false)
                cutAt = .now
                cancel(running, because: "the time limit", timers: &timers, sink: sink)
            case .patienceOver:
                if let cutShort {
                    logger.warning("services still running after the shutdown was cut short; exiting without them")
                    await giveBack(Self.patienceLeft(since: cutAt))
                    throw cutShort
                }
                guard let failure else { continue }
                logger.warning(
                    "services still running after a service failed; exiting without them",
                    metadata: ["ondo.error": "\(failure)"])
                await giveBack(Self.patienceLeft(since: cutAt))
                throw failure
            }
        }
        preconditionFailure("unreachable: the events never finish")
    }

    /// Cancels the group (and so the statements its workers wait in) and starts the wait for its services to stop.
    private func cancel(
        _ running: Task<Void, Never>, because reason: String, timers: inout [Task<Void, Never>],
        sink: AsyncStream<Event>.Continuation
    ) {
        logger.warning("shutdown cut short by \(reason): \(wording.whenCutShort)")
        running.cancel()
        timers.append(Self.after(Self.cancellationPatience, yield: .patienceOver, to: sink))
    }

    /// What is left of ``giveBackPatience`` since the cut; a little at least, for a database that answers at once.
    private static func patienceLeft(since cut: ContinuousClock.Instant) -> Duration {
        max(giveBackPatience - cut.duration(to: .now), .milliseconds(250))
    }

    private static func after(_ delay: Duration, yield event: Event, to sink: AsyncStream<Event>.Continuation)
        -> Task<Void, Never>
    {
        Task {
            guard (try? await Task.sleep(for: delay)) != nil else { return }
            sink.yield(event)
        }
    }
}

/// What `ondo serve` throws when its graceful shutdown was cut short by a second signal or by
/// `pipeline.shutdownTimeoutSeconds`: the batches in hand were abandoned (never half written) and their leases
/// given back when the database answered in time.
public struct ShutdownCutShort: Error, CustomStringConvertible {
    /// The number of the last signal received (15 for SIGTERM, 2 for SIGINT).
    public let signalNumber: Int32
    /// A second signal rather than the time limit.
    public let bySecondSignal: Bool

    /// 128 + the signal's number, as a shell reports a process killed by that signal: 143 for SIGTERM, 130 for
    /// Ctrl-C. The work was not finished, so the status says so; the batches left were given back, not lost.
    public var exitStatus: Int32 { 128 + signalNumber }

    /// One sentence for the operator.
    public var description: String {
        "shutdown cut short by \(bySecondSignal ? "a second signal" : "pipeline.shutdownTimeoutSeconds")"
    }
}
