import ArgumentParser
import Foundation
import Sentiment

/// `ondo sentiment train`: trains a model from labelled review files and writes the model file.
struct SentimentTrainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a sentiment model on labelled reviews and write a model file.",
        discussion: """
            The validation split (--validation-fraction, seeded) is carved from the --data files; the best epoch \
            on it is kept and the calibration temperature is fitted on it. --adapt files (e.g. reviews from the \
            shop's own domain) are added to every epoch --adapt-repeats times and never used for validation. \
            Training from the shop's database (--from-database) is not available yet.
            """)

    @Option(help: "Training data file (repeatable).") var data: [String]
    @Option(help: "Format of the data files: nsmc, rating or binary (default: detected when unambiguous).")
    var inputFormat: InputFormat?
    @Option(help: "In-domain adaptation data file (repeatable; format detected or --input-format).") var adapt: [String] = []
    @Option(help: "Copies of each adaptation review per epoch.") var adaptRepeats = 1
    @Option(help: "Use a seeded sample of this many reviews from --data (quick experiments).") var subsample: Int?
    @Option(help: "Output model file.") var out: String
    @Option(help: "Model name (default: the output file's name without extension).") var name: String?
    @Option(help: "Units per LSTM layer.") var units = 50
    @Option(help: "Stacked LSTM layers.") var layers = 3
    @OptionGroup var network: NetworkOptions
    @OptionGroup var training: TrainingOptionGroup

    func run() async throws {
        guard !data.isEmpty else { throw ValidationError("give at least one --data file") }
        BLASThreads.set(1)
        var examples: [LabeledText] = []
        var sources: [TrainingRecord.Source] = []
        for path in data {
            let dataset = try readDataset(path, format: inputFormat)
            examples += dataset.examples
            sources.append(.init(path: path, format: dataset.format, examples: dataset.examples.count, repeats: 1))
        }
        if let subsample {
            examples = DatasetSplit.sample(examples, count: subsample, seed: training.seed)
            StandardError.write("using a seeded sample of \(examples.count) reviews")
        }
        var adaptation: [LabeledText] = []
        for path in adapt {
            let dataset = try readDataset(path, format: inputFormat)
            adaptation += dataset.examples
            sources.append(.init(path: path, format: dataset.format, examples: dataset.examples.count, repeats: adaptRepeats))
        }
        let outURL = URL(fileURLWithPath: out)
        var settings = network.settings
        settings.lstmUnits = units
        settings.lstmLayers = layers
        let trainer = SentimentTrainer(
            name: name ?? outURL.deletingPathExtension().lastPathComponent, settings: settings,
            options: training.options, command: (["ondo"] + CommandLine.arguments.dropFirst()).joined(separator: " "))
        var reporter = TrainingReporter(interval: isatty(STDERR_FILENO) != 0 ? 0.5 : 30)
        let model = try trainer.train(
            TrainingInput(examples: examples, adaptation: adaptation, adaptationRepeats: adaptRepeats, sources: sources)
        ) { event in
            guard let line = reporter.line(for: event) else { return }
            StandardError.overwrite(line.text)
            if !line.transient { StandardError.endLine() }
        }
        try model.write(to: outURL)
        let record = model.training
        let accuracy = record?.validation.map { ProgressBar.fixed(100 * $0.accuracy, 2) + " %" } ?? "n/a"
        print(
            "wrote \(out) (\(model.version), \(model.parameterCount) parameters); validation accuracy \(accuracy); "
                + "trained in \(ProgressBar.duration(record?.wallSeconds ?? 0))")
    }
}
