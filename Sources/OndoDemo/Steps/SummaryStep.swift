import CRMStore
import Postgres

/// Gathers the end result: states, the most complained-about products, one at-risk customer explained.
struct SummaryStep: DemoStep {
    var title: String { "Summary" }

    func run(_ context: inout DemoContext) async throws {
        guard context.shop != nil else { preconditionFailure("the shop step runs before the summary") }
        let pool = PostgresPool(
            configuration: try context.configuration.database.postgresConfiguration(for: .application),
            maxConnections: 1, logger: context.logger)
        var summary = DemoSummary()
        summary.live = context.liveStatistics
        summary.liveSeconds = context.liveSeconds
        summary.interrupted = context.interrupted
        summary.historyReviews = context.reviewsBeforeLive
        do {
            summary = try await pool.withConnection { [summary] connection in
                var summary = summary
                let work = try WorkQueue(.reviews).status(on: connection)
                summary.reviewsProcessed = work.completed
                summary.reviews = work.completed + work.discarded + work.backlog
                summary.discarded = work.discarded
                summary.waiting = work.backlog
                summary.quarantined = try DemoQueries.quarantined(on: connection)
                summary.negativeReviews = try DemoQueries.negativeReviews(on: connection)
                summary.transitions = try DemoQueries.transitionCount(on: connection)
                summary.states = try DemoQueries.stateSummary(on: connection)
                summary.products = try DemoQueries.mostComplainedProducts(limit: 5, on: connection)
                summary.atRisk = try DemoQueries.atRiskExample(on: connection)
                return summary
            }
        } catch {
            await pool.close()
            throw error
        }
        await pool.close()
        context.tell(.summary(summary))
    }
}
