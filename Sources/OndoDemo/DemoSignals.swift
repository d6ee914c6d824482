import Foundation
import Logging
import OndoServer
import Synchronization
import UnixSignals

/// SIGTERM and SIGINT during `ondo demo`, handled as `ondo serve` handles them. Before the live step (the database,
/// the shop) the demo is starting up: a first signal stops it after the step in hand, with status 0, and a second
/// one ends it at once with 128 + its number (``ServeSignals``). In the live step the first signal ends it
/// gracefully (the shop stops, the workers finish their batches, the summary follows) and a second one, or
/// `pipeline.shutdownTimeoutSeconds` passing first, cuts that short (``ShutdownLimit``). After the live step a
/// signal ends the demo at once with 128 + its number (the summary is a few queries; the embedded cluster's
/// watchdog stops the server).
final class DemoSignals: Sendable {
    private let serve: ServeSignals
    private let logger: Logger
    /// Where signals go while the live step runs.
    private let live = Mutex<AsyncStream<UnixSignal>.Continuation?>(nil)

    private init(serve: ServeSignals, logger: Logger) {
        self.serve = serve
        self.logger = logger
    }

    /// Traps SIGTERM and SIGINT for the rest of the process's life (one demo per process).
    static func trap(logger: Logger) async -> DemoSignals {
        DemoSignals(serve: await ServeSignals.trap(logger: logger), logger: logger)
    }

    /// The signal that asked the demo to stop before the live step; nil when none has.
    var stopRequested: UnixSignal? {
        serve.stopRequested
    }

    /// Ends start-up: the signals from now on, for the live step's ``ShutdownLimit``, until ``liveEnded()``.
    func liveSignals() -> AsyncStream<UnixSignal> {
        let (stream, continuation) = AsyncStream.makeStream(of: UnixSignal.self)
        live.withLock { $0 = continuation }
        let all = serve.running()
        Task {
            for await signal in all { self.received(signal) }
        }
        return stream
    }

    /// The live step is over: a signal from now on ends the demo at once.
    func liveEnded() {
        live.withLock { live in
            live?.finish()
            live = nil
        }
    }

    private func received(_ signal: UnixSignal) {
        if let live = live.withLock({ $0 }) {
            live.yield(signal)
            return
        }
        logger.warning("a signal after the live step: exiting at once", metadata: ["ondo.signal": "\(signal)"])
        exit(128 + signal.rawValue)
    }
}
