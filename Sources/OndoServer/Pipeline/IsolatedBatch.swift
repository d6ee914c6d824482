import Logging
import Postgres

/// Runs a piece of work on a whole batch and, when that fails for a reason other than the connection, on each
/// item alone, so that one item whose data breaks the work fails by itself and the others go through (RELIABILITY
/// F10). A connection failure is thrown as it is: the caller's reconnect-and-retry owns it; so is a failure of a
/// cancelled task (a shutdown cut short), which would only fail again item by item.
enum IsolatedBatch {
    /// `body` on all of `items`, else on each item alone; returns the outputs of the runs that succeeded and the
    /// items that failed on their own, with their errors.
    static func run<Item, Output>(
        _ items: [Item], logger: Logger, fallback: Logger.Message, _ body: ([Item]) async throws -> Output
    ) async throws -> (outputs: [Output], failed: [(item: Item, error: any Error)]) {
        do {
            return ([try await body(items)], [])
        } catch  where !PostgresError.isConnectionFailure(error) && !Task.isCancelled {
            logger.warning(fallback, metadata: ["ondo.error": "\(error)", "ondo.count": "\(items.count)"])
        }
        var outputs: [Output] = []
        var failed: [(item: Item, error: any Error)] = []
        for item in items {
            do {
                outputs.append(try await body([item]))
            } catch  where !PostgresError.isConnectionFailure(error) && !Task.isCancelled {
                failed.append((item, error))
            }
        }
        return (outputs, failed)
    }
}
