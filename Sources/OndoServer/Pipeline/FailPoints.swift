import Foundation

/// Faults injected on purpose, for the reliability tests only: read once from `ONDO_FAILPOINTS`
/// (`name=value,name=value`). Unset in production, where every check is a dictionary miss.
///
/// - `score.poison=TEXT`: scoring a review whose body contains TEXT throws (a poison review).
/// - `apply.poison=TEXT`: writing the results of a batch holding such a review throws (the state update fails).
/// - `worker.pause_after_score=SECONDS`: a worker sleeps between scoring a batch and writing it (widens the
///   window in which a test can kill or stop it mid-batch).
/// - `worker.hold_after_score_until_file=PATH`: a worker waits between scoring a batch and writing it until PATH
///   exists: a window that ends when the test says so, however slow the machine (a fixed pause can run out
///   before a test that was starved of CPU has done its part).
/// - `serve.hold_start_until_file=PATH`: `ondo serve` waits, before it loads the model, until PATH exists: a
///   start-up that lasts until the test has signalled it.
/// - `worker.exit_after_score=1`: the process exits abruptly after scoring its first batch, before anything
///   is committed (a crash after the model ran).
/// - `service.throw_while_batch_held=1`: a pipeline service throws once a worker holds a leased batch of reviews
///   (``FailingService``), so that the pipeline's group cancels the workers (a service that fails, not a signal).
/// - `service.throw_once_file_exists=PATH`: a pipeline service throws once PATH exists (``FailingService``): a
///   failure at the moment a test chooses, e.g. once it has stopped a worker's database backend mid-statement.
public struct FailPoints: Sendable, Equatable {
    /// Scoring throws for bodies containing this.
    public var poisonText: String?
    /// Writing a batch throws when one of its reviews contains this.
    public var applyPoisonText: String?
    /// Seconds to sleep between scoring and writing a batch.
    public var pauseAfterScoreSeconds: Double?
    /// Wait between scoring and writing a batch until this file exists.
    public var holdAfterScoreUntilFile: String?
    /// `ondo serve` waits before loading the model until this file exists.
    public var holdStartUpUntilFile: String?
    /// Exit the process after scoring the first batch.
    public var exitAfterScore = false
    /// A pipeline service throws while a worker holds a batch of reviews.
    public var throwWhileBatchHeld = false
    /// A pipeline service throws once this file exists.
    public var throwOnceFileExists: String?

    /// No faults.
    public init() {}

    /// Parses `ONDO_FAILPOINTS`; unknown names are errors so a typo can't silently disable a test.
    public init(environment: [String: String]) throws {
        guard let spec = environment["ONDO_FAILPOINTS"], !spec.isEmpty else { return }
        for item in spec.split(separator: ",") {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            let value = parts.count == 2 ? parts[1] : ""
            switch parts[0] {
            case "score.poison": poisonText = value
            case "apply.poison": applyPoisonText = value
            case "worker.pause_after_score":
                guard let seconds = Double(value) else {
                    throw ConfigurationError(
                        code: .invalidEnvironment, message: "ONDO_FAILPOINTS: \(item) needs seconds")
                }
                pauseAfterScoreSeconds = seconds
            case "worker.hold_after_score_until_file": holdAfterScoreUntilFile = try Self.path(value, item: item)
            case "serve.hold_start_until_file": holdStartUpUntilFile = try Self.path(value, item: item)
            case "worker.exit_after_score": exitAfterScore = value != "0"
            case "service.throw_while_batch_held": throwWhileBatchHeld = value != "0"
            case "service.throw_once_file_exists": throwOnceFileExists = try Self.path(value, item: item)
            default:
                throw ConfigurationError(
                    code: .invalidEnvironment, message: "ONDO_FAILPOINTS: unknown fail point \(parts[0])")
            }
        }
    }

    /// Waits until the file at `path` exists (the `…_until_file` fail points), polling; returns early when the task
    /// is cancelled.
    static func waitForFile(_ path: String) async {
        while !FileManager.default.fileExists(atPath: path), !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    private static func path(_ value: String, item: Substring) throws -> String {
        guard !value.isEmpty else {
            throw ConfigurationError(code: .invalidEnvironment, message: "ONDO_FAILPOINTS: \(item) needs a path")
        }
        return value
    }
}

/// The error a poisoned review throws.
struct InjectedFault: Error, CustomStringConvertible {
    var description: String
}
