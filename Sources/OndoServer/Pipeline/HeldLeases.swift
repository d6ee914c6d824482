import CRMStore
import Foundation
import Logging
import Postgres
import Synchronization

/// The leases this process's workers hold right now (the token of each batch in hand, by queue), so that a
/// shutdown cut short can give their work back at once instead of leaving it until the leases expire; and the
/// leases of batches that failed as a whole (see ``strand(_:error:)``), to be ended once the database answers.
final class HeldLeases: Sendable {
    private let held = Mutex<[UUID: Lease]>([:])

    /// A lease of this process: its queue, and the error that ended its batch when it is stranded.
    private struct Lease {
        var table: WorkQueue.Table
        var strandedBy: String?
    }

    /// A lease whose batch failed as a whole: its rows may still be leased under `token`.
    struct Stranded: Sendable {
        var token: UUID
        var error: String
    }

    /// No leases.
    init() {}

    /// Records that a claim under `token` on `table` is about to be made (before it is, so that a shutdown cut
    /// short while the claim runs still finds it).
    func hold(_ token: UUID, on table: WorkQueue.Table) {
        held.withLock { $0[token] = Lease(table: table) }
    }

    /// Forgets `token`: its batch is written, or its rows went back to the queue.
    func letGo(_ token: UUID) {
        held.withLock { $0[token] = nil }
    }

    /// Keeps `token` as stranded: its batch failed with `error` after the retries (most often the database went away
    /// mid-batch), so its rows may still be leased under it, and would wait for the lease to expire (30 s by default)
    /// before anyone took them again. The next claim on the same queue ends the lease first (``stranded(on:)``).
    func strand(_ token: UUID, error: String) {
        held.withLock { $0[token]?.strandedBy = error }
    }

    /// The stranded leases on `table`.
    func stranded(on table: WorkQueue.Table) -> [Stranded] {
        held.withLock { held in
            held.compactMap { token, lease in
                guard lease.table == table, let error = lease.strandedBy else { return nil }
                return Stranded(token: token, error: error)
            }
        }
    }

    /// The tokens held now, stranded or not, by queue.
    var tokens: [WorkQueue.Table: [UUID]] {
        held.withLock { held in Dictionary(grouping: held, by: \.value.table).mapValues { $0.map(\.key) } }
    }

    /// What giving the leases back did.
    struct GiveBack: Sendable, Equatable {
        /// Rows back in the queue, claimable at once.
        var givenBack: Int
        /// Rows still leased: a transaction that has not ended (a worker stuck in a statement) keeps them locked, so
        /// they wait for their leases to expire.
        var leftToLease: Int
    }

    /// Gives every held lease back (``WorkQueue/giveBack(_:on:)``) on a connection of its own — the pool's may all
    /// be taken by workers stuck in a statement — and says how many rows went back and how many stay leased. Returns
    /// nil when the database did not answer within `patience`: the process is about to exit, and the lease sweeper of
    /// another process returns the rows once their leases expire.
    func giveBack(configuration: PostgresConfiguration, patience: Duration, logger: Logger) async -> GiveBack? {
        let tokens = self.tokens
        guard !tokens.isEmpty else { return GiveBack(givenBack: 0, leftToLease: 0) }
        return await withCheckedContinuation { continuation in
            let answer = FirstAnswer(continuation)
            let finish: @Sendable (GiveBack?) -> Void = { answer.resume(returning: $0) }
            // A thread of its own, not awaited past `patience`: a libpq call cannot be cancelled.
            Thread {
                do {
                    let connection = try PostgresConnection(configuration: configuration, logger: logger)
                    defer { connection.close() }
                    let outcome = try connection.withTransaction(.readCommitted) { connection in
                        try tokens.reduce(GiveBack(givenBack: 0, leftToLease: 0)) { sum, held -> GiveBack in
                            let queue = WorkQueue(held.key)
                            let givenBack = try queue.giveBack(held.value, on: connection)
                            return GiveBack(
                                givenBack: sum.givenBack + givenBack,
                                leftToLease: sum.leftToLease + (try queue.leasedCount(held.value, on: connection)))
                        }
                    }
                    finish(outcome)
                } catch {
                    logger.warning("giving leases back failed", metadata: ["ondo.error": "\(error)"])
                    finish(nil)
                }
            }.start()
            DispatchQueue.global().asyncAfter(deadline: .now() + patience / .seconds(1)) { finish(nil) }
        }
    }
}

/// A continuation resumed by whichever answer comes first (the database's, or the end of the patience).
private final class FirstAnswer: Sendable {
    private let continuation: Mutex<CheckedContinuation<HeldLeases.GiveBack?, Never>?>

    init(_ continuation: CheckedContinuation<HeldLeases.GiveBack?, Never>) {
        self.continuation = Mutex(continuation)
    }

    func resume(returning outcome: HeldLeases.GiveBack?) {
        continuation.withLock { $0.take() }?.resume(returning: outcome)
    }
}
