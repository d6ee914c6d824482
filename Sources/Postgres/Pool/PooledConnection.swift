import Dispatch
import Foundation
import Logging

/// One pool slot: a serial queue and the connection that lives on it (opened lazily, replaced when broken).
///
/// `connection` is only touched on `queue`, which is what makes the unchecked `Sendable` sound.
final class PooledConnection: @unchecked Sendable {
    private let queue: DispatchQueue
    private var connection: PostgresConnection?

    /// Marks the slots' queues, so code can tell it runs on one.
    static let queueKey = DispatchSpecificKey<Bool>()

    init(number: Int) {
        queue = DispatchQueue(label: "ondo.postgres.connection.\(number)")
        queue.setSpecific(key: Self.queueKey, value: true)
    }

    /// Runs `body` on the slot's queue with a healthy connection. When `cancellable`, cancelling the task cancels
    /// the statement `body` is running and refuses its later ones (code `.cancelled`), so that `body` returns soon.
    func run<Result: Sendable>(
        configuration: PostgresConfiguration, cancellable: Bool, logger: Logger,
        _ body: @escaping @Sendable (PostgresConnection) throws -> Result
    ) async throws -> Result {
        let run = PooledRun()
        let work = {
            try await withCheckedThrowingContinuation { continuation in
                self.queue.async {
                    continuation.resume(with: Swift.Result { try self.use(configuration, logger, run, body) })
                }
            }
        }
        guard cancellable else { return try await work() }
        return try await withTaskCancellationHandler {
            try await work()
        } onCancel: {
            run.cancel()
        }
    }

    private func use<Result>(
        _ configuration: PostgresConfiguration, _ logger: Logger, _ run: PooledRun,
        _ body: (PostgresConnection) throws -> Result
    ) throws -> Result {
        dispatchPrecondition(condition: .onQueue(queue))
        if let existing = connection, !existing.checkHealth() {
            logger.debug("replacing a broken postgres connection", metadata: ["ondo.db": "\(existing.endpoint)"])
            existing.close()
            connection = nil
        }
        let live = try connection ?? PostgresConnection(configuration: configuration, logger: logger)
        connection = live
        guard run.begin(live.cancelHandle) else {
            throw PostgresError(code: .cancelled, message: "cancelled before the connection was used")
        }
        defer {
            run.end()
            tidy(live)
        }
        return try body(live)
    }

    /// Makes the connection reusable after `body`: rolls back a transaction left open; drops a broken session, and
    /// one that a cancel request the server did not answer in time may still reach (it would cancel the next
    /// task's statement).
    private func tidy(_ live: PostgresConnection) {
        if live.isConnected && live.isInTransaction {
            live.rollbackQuietly(
                after: PostgresError(code: .misuse, message: "a pooled transaction was left open"))
        }
        if !live.isConnected || live.isInTransaction || live.cancelHandle.hasRequestInFlight {
            live.close()
            connection = nil
        }
    }

    /// Closes the connection on its queue and waits for that.
    func close() async {
        await withCheckedContinuation { continuation in
            queue.async {
                self.connection?.close()
                self.connection = nil
                continuation.resume()
            }
        }
    }

    /// Closes the connection on its queue without waiting.
    func closeLater() {
        queue.async {
            self.connection?.close()
            self.connection = nil
        }
    }
}
