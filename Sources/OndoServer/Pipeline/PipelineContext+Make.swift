import CRM
import CRMStore
import Logging
import Postgres

extension PipelineContext {
    /// The context for `configuration` with this scoring engine and pool.
    static func make(
        configuration: OndoConfiguration, engine: ScoringEngine, pool: PostgresPool, readiness: Readiness,
        metrics: PipelineMetrics, failPoints: FailPoints, heldLeases: HeldLeases = HeldLeases(), logger: Logger
    ) -> PipelineContext {
        let settings = configuration.pipeline
        let states = CustomerStateStore(
            evaluator: StateEvaluator(rules: configuration.states),
            maximumRecheckInterval: settings.maximumRecheckHours * 3_600, preferredModelVersion: engine.version)
        return PipelineContext(
            settings: settings, pool: pool,
            scorer: ReviewScorer(engine: engine, lexicon: configuration.aspects, failPoints: failPoints),
            results: ReviewResultStore(
                modelVersion: engine.version, positiveThreshold: configuration.server.positiveThreshold, states: states),
            customerWork: CustomerWorkStore(states: states), states: states, signal: WorkSignal(),
            heldLeases: heldLeases, metrics: metrics,
            readiness: readiness, failPoints: failPoints, logger: logger)
    }
}
