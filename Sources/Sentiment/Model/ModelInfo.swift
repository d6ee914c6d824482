import Foundation

/// What `ondo sentiment info` shows about a model.
public struct ModelInfo: Codable, Sendable {
    /// The model's name.
    public var name: String
    /// Its version id.
    public var version: String
    /// Network hyper-parameters.
    public var network: NetworkConfig
    /// Trainable weights.
    public var parameters: Int
    /// Token unit.
    public var tokenUnit: TokenUnit
    /// Vocabulary size, reserved ids included.
    public var vocabularySize: Int
    /// Calibration temperature.
    public var temperature: Float
    /// Precision of the stored weights.
    public var weightStorage: WeightStorage
    /// Training record, when trained by Ondo.
    public var training: TrainingRecord?

    /// The information of `model`.
    public init(_ model: SentimentModel) {
        name = model.name
        version = model.version
        network = model.configuration
        parameters = model.parameterCount
        tokenUnit = model.tokenizer.unit
        vocabularySize = model.tokenizer.vocabulary.count
        temperature = model.temperature
        weightStorage = model.storage
        training = model.training
    }

    /// Pretty JSON, its keys in snake_case like every other `--format json` output of `ondo` (the model file
    /// itself keeps its own camelCase keys).
    public var json: String {
        let encoder = JSONEncoder.modelFile
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// Readable lines.
    public var text: String {
        let n = network
        // Counts grouped as the training transcript prints them (`2,434,529 parameters`); ``json`` keeps plain numbers.
        let g: (Int) -> String = GroupedNumber.text
        var lines = [
            "model        \(version)",
            "network      embedding \(n.embeddingSize) → Conv1D \(n.filters)×\(n.kernelSize) + ReLU → max-pool \(n.poolSize) → "
                + "LSTM \(n.lstmUnits) × \(n.lstmLayers) → \(n.outputPooling.rawValue) over time → dense → sigmoid",
            "parameters   \(g(parameters)) (\(weightStorage == .float16 ? "half" : "single") precision)",
            "tokenizer    \(tokenUnit.rawValue), vocabulary \(g(vocabularySize))",
            "calibration  temperature \(String(format: "%.3f", temperature))"
                + (temperature >= TemperatureScaling.flat
                    ? " (its scores told the validation reviews apart no better than chance: every probability is "
                        + "about 0.5)" : ""),
        ]
        guard let t = training else { return (lines + ["training     not recorded"]).joined(separator: "\n") }
        let o = t.options
        lines.append(
            "trained      \(ISO8601DateFormatter().string(from: t.startedAt)), \(ProgressBar.duration(t.wallSeconds)) wall time"
        )
        if let base = t.base { lines.append("fine-tuned   from \(base)") }
        for source in t.sources {
            lines.append(
                "data         \(source.path) (\(source.format.rawValue), \(g(source.examples)) reviews"
                    + (source.repeats > 1 ? " × \(source.repeats)" : "") + ")")
        }
        if let teachers = t.teachers, !teachers.isEmpty {
            lines.append("teachers     \(teachers.joined(separator: ", ")) (weight \(o.teacherWeight))")
        }
        lines.append(
            "split        \(g(t.trainingExamples)) training, \(g(t.validationExamples)) validation (seed \(o.splitSeed))"
        )
        lines.append(
            "options      epochs \(o.epochs), batch \(o.batchSize), Adam lr \(o.learningRate) \(o.schedule.rawValue), "
                + "dropout \(o.featureDropout)/\(o.embeddingDropout) (output/embedding), weight decay \(o.weightDecay), "
                + "threads \(o.threads)")
        for e in t.epochs {
            lines.append(
                "epoch \(e.epoch)      training loss \(String(format: "%.4f", e.trainingLoss))"
                    + (t.validationExamples > 0
                        ? ", validation accuracy " + String(format: "%.2f %%", 100 * e.validationAccuracy) : "")
                    + (e.epoch == t.bestEpoch ? "  ← kept" : "")
            )
        }
        if let v = t.validation {
            lines.append(
                "validation   accuracy \(String(format: "%.2f %%", 100 * v.accuracy)), F1 \(String(format: "%.4f", v.f1)), "
                    + "ECE \(String(format: "%.4f", v.ece)) (after calibration)")
        }
        if let command = t.command { lines.append("command      \(command)") }
        return lines.joined(separator: "\n")
    }
}
