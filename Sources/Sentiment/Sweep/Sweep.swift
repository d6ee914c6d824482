import Foundation

/// The study's two experiments: accuracy against the number of LSTM units (at a fixed number of
/// layers) and against the number of LSTM layers (at a fixed number of units), every other setting
/// equal, each configuration trained from the same seed.
public struct Sweep: Sendable {
    /// One trained configuration.
    public struct Result: Codable, Sendable, Equatable {
        /// "units" or "layers": which experiment the row belongs to.
        public var experiment: String
        /// LSTM units.
        public var units: Int
        /// LSTM layers.
        public var layers: Int
        /// Trainable weights.
        public var parameters: Int
        /// Accuracy of the kept epoch on the validation split.
        public var validationAccuracy: Double
        /// Accuracy on the evaluation data, when given.
        public var evaluationAccuracy: Double?
        /// Wall-clock seconds of the training run.
        public var seconds: Double
        /// Training throughput of the last epoch, reviews per second.
        public var reviewsPerSecond: Double
    }

    /// Unit counts of the first experiment.
    public var units: [Int]
    /// Layer counts of the second experiment.
    public var layers: [Int]
    /// Layers used while varying the units.
    public var layersForUnits: Int
    /// Units used while varying the layers.
    public var unitsForLayers: Int
    /// Everything else about the network.
    public var settings: ModelSettings
    /// Training options (epochs, seed, …) for every run.
    public var options: TrainingOptions

    /// A sweep.
    public init(
        units: [Int], layers: [Int], layersForUnits: Int, unitsForLayers: Int, settings: ModelSettings,
        options: TrainingOptions
    ) {
        self.units = units
        self.layers = layers
        self.layersForUnits = layersForUnits
        self.unitsForLayers = unitsForLayers
        self.settings = settings
        self.options = options
    }

    /// The configurations in run order: (experiment, units, layers).
    public var plan: [(experiment: String, units: Int, layers: Int)] {
        units.map { ("units", $0, layersForUnits) } + layers.map { ("layers", unitsForLayers, $0) }
    }

    /// Trains every configuration on `input`, evaluating each on `evaluation` when given;
    /// `observer` hears each run's training events and each finished result.
    public func run(
        _ input: TrainingInput, evaluation: [LabeledText]? = nil,
        observer: (_ index: Int, _ event: TrainingEvent) -> Void = { _, _ in },
        finished: (Result) -> Void = { _ in }
    ) throws(SentimentModelError) -> [Result] {
        var results: [Result] = []
        for (index, entry) in plan.enumerated() {
            var settings = self.settings
            settings.lstmUnits = entry.units
            settings.lstmLayers = entry.layers
            let trainer = SentimentTrainer(
                name: "sweep-\(entry.units)x\(entry.layers)", settings: settings, options: options)
            let model = try trainer.train(input) { observer(index, $0) }
            let record = model.training
            let result = Result(
                experiment: entry.experiment, units: entry.units, layers: entry.layers,
                parameters: model.parameterCount,
                validationAccuracy: record?.validation?.accuracy ?? 0,
                evaluationAccuracy: evaluation.map { model.evaluate($0).accuracy }, seconds: record?.wallSeconds ?? 0,
                reviewsPerSecond: record?.epochs.last?.reviewsPerSecond ?? 0)
            results.append(result)
            finished(result)
        }
        return results
    }

    /// Pretty JSON of results, keys in snake_case (`validation_accuracy`, `reviews_per_second`, …).
    public static func json(_ results: [Result]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return String(decoding: try encoder.encode(results), as: UTF8.self)
    }

    /// A Markdown table of results, its counts grouped as the README shows them (`2,434,529`); ``json`` keeps
    /// plain numbers.
    public static func table(_ results: [Result], evaluationName: String? = nil) -> String {
        var header = "| experiment | LSTM units | LSTM layers | parameters | validation accuracy |"
        var rule = "|---|---:|---:|---:|---:|"
        if let evaluationName {
            header += " \(evaluationName) accuracy |"
            rule += "---:|"
        }
        header += " training time | training reviews/s |"
        rule += "---:|---:|"
        var lines = [header, rule]
        for r in results {
            var line =
                "| \(r.experiment) | \(r.units) | \(r.layers) | \(GroupedNumber.text(r.parameters)) | "
                + String(format: "%.2f %%", 100 * r.validationAccuracy) + " |"
            if evaluationName != nil {
                line += r.evaluationAccuracy.map { String(format: " %.2f %%", 100 * $0) } ?? " –"
                line += " |"
            }
            line += " \(ProgressBar.duration(r.seconds)) | \(GroupedNumber.text(r.reviewsPerSecond)) |"
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}
