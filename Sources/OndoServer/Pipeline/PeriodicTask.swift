import Logging
import ServiceLifecycle

/// Runs `body` every `interval` until graceful shutdown; a failing run is logged and retried next time.
func runPeriodically(
    every interval: Duration, name: String, logger: Logger, _ body: @escaping @Sendable () async throws -> Void
) async {
    await cancelWhenGracefulShutdown {
        while !Task.isCancelled {
            do {
                try await body()
            } catch  where Task.isCancelled {
                // CancellationError, or the pool's `.cancelled` for a statement the cancellation interrupted.
                return
            } catch {
                logger.warning("\(name) failed; trying again next time", metadata: ["ondo.error": "\(error)"])
            }
            try? await Task.sleep(for: interval)
        }
    }
}
