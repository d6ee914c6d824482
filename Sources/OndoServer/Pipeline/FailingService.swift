import CRMStore
import Foundation
import ServiceLifecycle

/// The fail points `service.throw_while_batch_held` and `service.throw_once_file_exists` (tests only): a pipeline
/// service that throws once a worker of this process holds a leased batch of reviews — its claim committed, the rows
/// `processing` under its token — or once a file exists, so that the pipeline's group cancels the workers with their
/// batches in hand, as any service that fails would.
struct FailingService: Service, CustomStringConvertible {
    /// ServiceLifecycle logs each service at debug level, and a service that stops on its own is named in an error:
    /// the name only. Printed whole, the context it holds made a log line of about 200 KB.
    var description: String { "failing service (fail point)" }

    let context: PipelineContext

    func run() async throws {
        while !Task.isCancelled {
            if let path = context.failPoints.throwOnceFileExists, FileManager.default.fileExists(atPath: path) {
                throw InjectedFault(description: "fail point service.throw_once_file_exists: a pipeline service failed")
            }
            if context.failPoints.throwWhileBatchHeld, try await aBatchIsHeld() {
                throw InjectedFault(description: "fail point service.throw_while_batch_held: a pipeline service failed")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    private func aBatchIsHeld() async throws -> Bool {
        let (heldLeases, pool) = (context.heldLeases, context.pool)
        // A token is held from just before the claim: wait for the claim's rows, or a cancelled claim would leave
        // nothing leased to give back.
        guard let tokens = heldLeases.tokens[.reviews], !tokens.isEmpty else { return false }
        return try await pool.withConnection { try WorkQueue(.reviews).leasedCount(tokens, on: $0) } > 0
    }
}
