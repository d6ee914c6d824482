import Logging
import Sentiment

/// What turns review text into a probability: the sentiment model, or — for benchmarks only — a constant
/// stand-in that costs nothing, so the queue and database path can be measured alone.
enum ScoringEngine: Sendable {
    /// The CNN + LSTM model.
    case model(SentimentModel)
    /// Every review scores this probability.
    case constant(Float)

    /// Stored with every score.
    var version: String {
        switch self {
        case .model(let model): model.version
        case .constant: "stand-in-constant"
        }
    }

    /// Probabilities that each text is positive, in order.
    func predict(_ texts: [String]) -> [Float] {
        switch self {
        case .model(let model): model.predict(texts)
        case .constant(let probability): Array(repeating: probability, count: texts.count)
        }
    }

    /// The ``version`` of the engine `settings` ask for, read from the model file's header without loading the
    /// model (whose weights the caller does not need).
    static func version(_ settings: ServerSettings) throws -> String {
        if settings.standInModel { return ScoringEngine.constant(0.5).version }
        let url = try ModelLocator.locate(explicit: settings.modelPath)
        do {
            return try SentimentModel.version(ofFileAt: url)
        } catch {
            throw settings.modelRefusal(url, error)
        }
    }

    /// The engine `settings` ask for; a missing, truncated, corrupt or wrong-version model file stops here,
    /// before anything is scored.
    static func load(_ settings: ServerSettings, logger: Logger) throws -> ScoringEngine {
        if settings.standInModel {
            logger.warning("scoring with the constant stand-in model: benchmarks only, the scores mean nothing")
            return .constant(0.5)
        }
        let url = try ModelLocator.locate(explicit: settings.modelPath)
        do {
            let model = try SentimentModel.load(contentsOf: url)
            logger.info(
                "sentiment model loaded", metadata: ["ondo.model": "\(model.version)", "ondo.path": "\(url.path)"])
            return .model(model)
        } catch {
            throw settings.modelRefusal(url, error)
        }
    }
}
