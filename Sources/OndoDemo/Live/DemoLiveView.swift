import CRM
import CRMStore
import Foundation
import Postgres
import ServiceLifecycle
import ShopSimulator
import Synchronization

/// Looks at the pipeline every few seconds while the live shop writes, and reports a ``DemoSnapshot``. Once
/// the shop stopped it waits (up to the catch-up time) for the backlog to drain, then returns — which ends the
/// demo's service group. A graceful shutdown (Ctrl-C) ends it at once and marks the demo interrupted.
final class DemoLiveView: Service, Sendable {
    private let pool: PostgresPool
    private let simulator: LiveShopService
    private let options: DemoOptions
    private let output: @Sendable (DemoEvent) -> Void
    private let interruptedFlag = Mutex(false)

    init(
        pool: PostgresPool, simulator: LiveShopService, options: DemoOptions,
        output: @escaping @Sendable (DemoEvent) -> Void
    ) {
        self.pool = pool
        self.simulator = simulator
        self.options = options
        self.output = output
    }

    /// True when a graceful shutdown ended the view before the demo's time was up.
    var interrupted: Bool { interruptedFlag.withLock { $0 } }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            do {
                try await self.watch()
            } catch is CancellationError {
            } catch let error as PostgresError where error.code == .cancelled {
            } catch {
                self.output(.note("the live view stopped: \(error)"))
            }
        }
        if Task.isShuttingDownGracefully { interruptedFlag.withLock { $0 = true } }
    }

    private func watch() async throws {
        let began = ContinuousClock.now
        let start = try await pool.withConnection { connection in
            (
                cursor: try DemoQueries.latestTransitionId(on: connection),
                processed: try WorkQueue(.reviews).status(on: connection).completed
            )
        }
        var cursor = start.cursor
        var previous = (processed: start.processed, at: ContinuousClock.now)
        var catchUpSince: ContinuousClock.Instant?
        while true {
            try await Task.sleep(for: options.viewInterval)
            let after = cursor
            let look = try await pool.withConnection { connection in
                (
                    work: try WorkQueue(.reviews).status(on: connection),
                    states: try CustomerDirectory().stateCounts(on: connection),
                    notable: try DemoQueries.notableTransitions(after: after, limit: 3, on: connection)
                )
            }
            cursor = look.notable.latestId
            let now = ContinuousClock.now
            let rate = Double(look.work.completed - previous.processed) / (previous.at.duration(to: now) / .seconds(1))
            previous = (look.work.completed, now)
            output(
                .live(
                    DemoSnapshot(
                        elapsedSeconds: began.duration(to: now) / .seconds(1), written: simulator.statistics,
                        reviewsProcessed: look.work.completed, reviewsPerSecond: max(rate, 0),
                        backlog: look.work.backlog, states: look.states,
                        transitions: look.notable.transitions.reversed())))
            guard simulator.isFinished else { continue }
            if catchUpSince == nil {
                catchUpSince = now
                if look.work.backlog > 0 { output(.catchingUp(backlog: look.work.backlog)) }
            }
            if look.work.backlog == 0 { return }
            if let since = catchUpSince, since.duration(to: now) >= options.catchUp { return }
        }
    }
}
