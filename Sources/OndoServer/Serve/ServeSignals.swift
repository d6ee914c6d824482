import Foundation
import Logging
import Postgres
import Synchronization
import UnixSignals

/// SIGTERM and SIGINT for `ondo serve`, trapped from the moment the command starts. Until its service group runs
/// (``ShutdownLimit``) the server is starting up — the embedded cluster starting, the model loading — and there a
/// signal used to kill the process with nothing logged: status 143, which an orchestrator reports as a failure,
/// although nothing had been claimed. Now a first signal during start-up is logged at once and stops the server
/// after the step in hand, with status 0 (``stopRequested``); a second one ends the process at once, with 128 + its
/// number, as a second signal cuts a shutdown short. Once the service group has stopped (``finished()``: `ondo demo`
/// still prints its summary then), a signal ends the process at once with that status. Exiting at once, it first
/// cancels the statements its connections are still running.
public final class ServeSignals: Sendable {
    private enum Phase {
        case startingUp(received: UnixSignal?)
        case running(AsyncStream<UnixSignal>.Continuation)
        case finished
    }

    private let phase = Mutex(Phase.startingUp(received: nil))
    private let logger: Logger

    private init(logger: Logger) {
        self.logger = logger
    }

    /// Traps SIGTERM and SIGINT (from now on they no longer end the process by themselves) and listens for them
    /// for the rest of the process's life: one `ondo serve` per process.
    public static func trap(logger: Logger) async -> ServeSignals {
        let signals = ServeSignals(logger: logger)
        let trapped = await UnixSignalsSequence(trapping: .sigterm, .sigint)
        Task {
            for await signal in trapped { signals.received(signal) }
        }
        return signals
    }

    /// Cancels the statements this process's connections are still running (waiting a second at most for the
    /// server to take the requests): for a process about to exit with its work cut short. A backend does not notice
    /// that its client is gone while it waits for a lock or computes, and would go on until `statement_timeout`.
    public static func cancelStatementsLeftRunning() {
        PostgresCancelHandle.cancelEveryRunningStatement(waitingAtMost: 1)
    }

    /// Set once a signal ends the process at once, before it cancels the statements left running: a statement
    /// cancelled that way fails in the command's own flow, which must not report it and exit with status 1 before
    /// the signal's exit (128 + its number) is reached (``parkIfExitingOnASignal()``).
    private static let exitingOnASignal = Mutex(false)

    /// Blocks the calling thread for good when a signal is ending the process (it exits within about a second, once
    /// its cancel requests are taken): an error that the signal's cancels caused is then no failure to report. For a
    /// command's last error handler; returns at once otherwise.
    public static func parkIfExitingOnASignal() {
        guard exitingOnASignal.withLock({ $0 }) else { return }
        while true { sleep(60) }
    }

    /// The signal that asked the server to stop while it was starting up; nil when none has.
    public var stopRequested: UnixSignal? {
        phase.withLock { phase in
            if case .startingUp(let received) = phase { return received }
            return nil
        }
    }

    /// Ends start-up: the signals from now on, for ``ShutdownLimit``. One that came during start-up after its last
    /// look at ``stopRequested`` comes first, so that it is not lost.
    public func running() -> AsyncStream<UnixSignal> {
        let (stream, continuation) = AsyncStream.makeStream(of: UnixSignal.self)
        let early = phase.withLock { phase -> UnixSignal? in
            defer { phase = .running(continuation) }
            if case .startingUp(let received) = phase { return received }
            return nil
        }
        if let early { continuation.yield(early) }
        return stream
    }

    /// Ends the running phase: the service group has stopped, and a signal from now on ends the process at once.
    public func finished() {
        phase.withLock { phase in
            if case .running(let continuation) = phase { continuation.finish() }
            phase = .finished
        }
    }

    private func received(_ signal: UnixSignal) {
        enum Action {
            case stopAfterTheStepInHand
            case exitNow(String)
            case forward(AsyncStream<UnixSignal>.Continuation)
        }
        let action = phase.withLock { phase -> Action in
            switch phase {
            case .startingUp(received: nil):
                phase = .startingUp(received: signal)
                return .stopAfterTheStepInHand
            case .startingUp:
                return .exitNow("a second signal during start-up: exiting at once")
            case .running(let continuation):
                return .forward(continuation)
            case .finished:
                return .exitNow("a signal after the services stopped: exiting at once")
            }
        }
        switch action {
        case .stopAfterTheStepInHand:
            logger.notice(
                "asked to stop during start-up: stopping before anything is claimed (a second signal stops at once)",
                metadata: ["ondo.signal": "\(signal)"])
        case .exitNow(let message):
            Self.exitingOnASignal.withLock { $0 = true }
            logger.warning("\(message)", metadata: ["ondo.signal": "\(signal)"])
            Self.cancelStatementsLeftRunning()
            exit(128 + signal.rawValue)
        case .forward(let continuation):
            continuation.yield(signal)
        }
    }
}
