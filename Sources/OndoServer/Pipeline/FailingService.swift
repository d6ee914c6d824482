import CRMStore
import ServiceLifecycle

/// The fail point `service.throw_while_batch_held` (tests only): a pipeline service that throws once a worker of
/// this process holds a leased batch of reviews — its claim committed, the rows `processing` under its token — so
/// that the pipeline's group cancels the workers with their batches in hand, as any service that fails would.
struct FailingService: Service {
    let context: PipelineContext

    func run() async throws {
        let (heldLeases, pool) = (context.heldLeases, context.pool)
        while !Task.isCancelled {
            // A token is held from just before the claim: wait for the claim's rows, or a cancelled claim would
            // leave nothing leased to give back.
            if let tokens = heldLeases.tokens[.reviews], !tokens.isEmpty,
                try await pool.withConnection({ connection in
                    try connection.queryValue(
                        Int.self,
                        """
                        SELECT count(*) FROM crm.review_work
                        WHERE lease_token = ANY(\(tokens)) AND status = 'processing'
                        """)
                }) > 0
            {
                throw InjectedFault(description: "fail point service.throw_while_batch_held: a pipeline service failed")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
