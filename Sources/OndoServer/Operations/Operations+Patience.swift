import Foundation

extension Operations {
    /// Runs one step of a long operator command (`ondo reviews rescore`, `ondo states recompute`), and again after
    /// a pause while it fails in a way a retry may mend and `patience` lasts (``FailurePatience``); each failure is
    /// logged as a warning. When the patience runs out it throws ``DatabaseKeptFailing`` with its aftermath.
    func patiently<Result: Sendable>(
        _ patience: inout FailurePatience, _ step: () async throws -> Result
    ) async throws -> Result {
        while true {
            do {
                let result = try await step()
                patience.succeeded()
                return result
            } catch  where !Task.isCancelled && FailurePatience.isWorthRetrying(error) {
                guard let pause = patience.failed() else {
                    throw DatabaseKeptFailing(
                        seconds: patience.failingFor, lastError: error, aftermath: patience.aftermath)
                }
                logger.warning(
                    "the database failed; trying again",
                    metadata: [
                        "ondo.error": "\(error)", "ondo.failures_in_a_row": "\(patience.failuresInARow)",
                        "ondo.retry_in_seconds": "\(pause)",
                    ])
                try await Task.sleep(for: .seconds(pause))
            }
        }
    }
}
