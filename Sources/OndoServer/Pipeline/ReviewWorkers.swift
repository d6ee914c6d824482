import CRM
import CRMStore
import Foundation
import Logging
import Postgres
import ServiceLifecycle

/// The workers of one `ondo serve` process: each claims a batch of reviews (and of customer work), scores
/// the reviews outside any transaction, and writes the results in one transaction fenced by its lease.
///
/// On graceful shutdown each worker stops claiming at once, finishes the batch in hand, and returns. Cancelled (a
/// shutdown cut short), it writes nothing more and returns: `ondo serve` gives its leases back.
struct ReviewWorkers: Service, CustomStringConvertible {
    /// ServiceLifecycle logs each service at debug level, and a service that stops on its own is named in an error:
    /// the name only. Printed whole, the context it holds made a log line of about 200 KB.
    var description: String { "review workers" }

    let context: PipelineContext

    /// Failed iterations in a row (each already retried inside with backoff) after which a worker makes `/readyz`
    /// say it is failing: one bad review never fails an iteration (its batch is written review by review).
    static let failuresBeforeNotReady = 3

    func run() async throws {
        context.readiness.workers(running: true)
        defer { context.readiness.workers(running: false) }
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                for index in 0..<context.settings.workers {
                    group.addTask { await workerLoop(index) }
                }
            }
        } onGracefulShutdown: {
            // The group signals the workers first (they start last): from here on /readyz answers 503 ("shutting
            // down") while the batches in hand are finished.
            context.readiness.shuttingDown()
            context.signal.ring()
        }
    }

    private func workerLoop(_ index: Int) async {
        var logger = context.logger
        logger[metadataKey: "ondo.worker"] = "\(index)"
        var failures = 0
        var idleRounds = 0
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            var worked = false
            var reviewsClaimed = 0
            do {
                let processor = ReviewBatchProcessor(context: context, logger: logger)
                reviewsClaimed = try await processor.processReviews()
                worked = reviewsClaimed > 0
                if !Task.isShuttingDownGracefully {
                    worked =
                        try await CustomerWorkProcessor(context: context, logger: logger).processCustomers() > 0
                        || worked
                }
                failures = 0
                context.readiness.database(reachable: true)
                context.readiness.worker(index, failing: false)
            } catch  where Task.isCancelled {
                return
            } catch {
                failures += 1
                if PostgresError.isConnectionFailure(error) {
                    context.readiness.database(reachable: false)
                } else if failures >= Self.failuresBeforeNotReady {
                    context.readiness.worker(index, failing: true)
                }
                logger.warning(
                    "worker iteration failed", metadata: ["ondo.error": "\(error)", "ondo.failures": "\(failures)"])
                let backoff = min(0.1 * pow(2, Double(min(failures, 6))), 5)
                try? await Task.sleep(for: .seconds(backoff))
                continue
            }
            if worked {
                idleRounds = 0
                if let linger = context.settings.linger(afterClaiming: reviewsClaimed) {
                    try? await Task.sleep(for: linger)
                }
            } else {
                await context.signal.wait(
                    timeout: .seconds(
                        Self.idleWait(after: idleRounds, pollInterval: context.settings.pollIntervalSeconds)))
                idleRounds += 1
            }
        }
    }

    /// How long an idle worker waits before looking again: briefly at first — a shop transaction that
    /// committed just after this worker's last claim skipped its NOTIFY because the worker was busy
    /// (see `crm.wake_workers`) — then doubling up to the poll interval, whatever its length. (The doubling
    /// stopped after ten rounds, at 20.48 s, so a longer poll interval polled every 20.48 s all the same.)
    static func idleWait(after idleRounds: Int, pollInterval: Double) -> Double {
        // 2^40 × 0.02 s is beyond any poll interval a configuration accepts; the bound keeps pow finite.
        min(0.02 * pow(2, Double(min(idleRounds, 40))), pollInterval)
    }
}
