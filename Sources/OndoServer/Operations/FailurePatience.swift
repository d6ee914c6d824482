import Foundation
import Postgres

/// How the long operator commands (`ondo reviews rescore`, `ondo states recompute`) ride out a database that fails
/// for a while — a restart or a failover (the connection drops, and new ones are refused until the server is back),
/// a statement timeout under load, a deadlock — instead of ending a backfill of hours at the first such error: the
/// failed step (a chunk of the re-queueing or of the recompute, a batch, a count) is tried again after a pause that
/// doubles from ``firstPause`` up to ``longestPause``, for as long as the failures in a row have lasted less than
/// ``patienceSeconds``. Errors that no retry mends (a privilege, a schema mismatch) end the command at once.
struct FailurePatience {
    /// How long failures in a row are ridden out (seconds) before the command gives up.
    var patienceSeconds: Double = Self.defaultPatienceSeconds
    /// The commands' patience: 120 s.
    static let defaultPatienceSeconds: Double = 120
    /// What the command leaves behind if it gives up, and how to go on: a sentence for the operator
    /// (``DatabaseKeptFailing``).
    var aftermath = ""
    /// The start of the clock failures are timed on.
    let startedAt = ContinuousClock.now
    static let firstPause = 0.25
    static let longestPause = 5.0

    /// When the failures in a row began, or nil after a success.
    private(set) var failingSince: Double?
    private(set) var failuresInARow = 0

    /// Records a success: the next failure starts a new run of them.
    mutating func succeeded() {
        failingSince = nil
        failuresInARow = 0
    }

    /// Records a failure now; returns the pause before the next try, or nil when the failures in a row have lasted
    /// ``patienceSeconds`` or more.
    mutating func failed() -> Double? {
        failed(at: startedAt.duration(to: .now) / .seconds(1))
    }

    /// How long the failures in a row have lasted (seconds), zero after a success.
    var failingFor: Double {
        failingSince.map { startedAt.duration(to: .now) / .seconds(1) - $0 } ?? 0
    }

    /// Records a failure at `now` (seconds since ``startedAt``); returns the pause before the next try, or nil when
    /// the failures in a row have lasted ``patienceSeconds`` or more.
    mutating func failed(at now: Double) -> Double? {
        let since = failingSince ?? now
        failingSince = since
        failuresInARow += 1
        guard now - since < patienceSeconds else { return nil }
        return min(Self.firstPause * pow(2, Double(failuresInARow - 1)), Self.longestPause)
    }

    /// Whether `error` may pass if the same step is tried again: the connection failed (the server restarted, the
    /// backend was terminated, new connections are refused for now), or the statement was cancelled by a timeout,
    /// deadlocked, failed to serialise or waited too long for a lock.
    static func isWorthRetrying(_ error: any Error) -> Bool {
        guard let error = error as? PostgresError else { return false }
        if error.isConnectionFailure { return true }
        let retryable = [
            PostgresError.SQLState.queryCanceled, PostgresError.SQLState.deadlockDetected,
            PostgresError.SQLState.serializationFailure, "55P03",  // lock_not_available (lock_timeout)
        ]
        return error.sqlState.map(retryable.contains) ?? false
    }
}

/// A long operator command gave up after failures that lasted its patience (``FailurePatience``).
public struct DatabaseKeptFailing: Error, CustomStringConvertible {
    /// How long the failures in a row lasted, in seconds.
    public let seconds: Double
    /// The last of them.
    public let lastError: any Error
    /// What the command leaves behind, and how to go on: a sentence for the operator.
    public let aftermath: String

    /// The sentence the command ends with.
    public var description: String {
        "the database kept failing for \(Int(seconds.rounded())) s (last: \(lastError)); \(aftermath)"
    }
}
