import ArgumentParser
import Foundation
import Sentiment

/// `ondo sentiment sweep`: the study's experiments — accuracy against LSTM units and against LSTM layers.
struct SentimentSweepCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Reproduce the study's experiments: accuracy vs LSTM units and vs LSTM layers, with times.",
        discussion: """
            Every configuration is trained from the same seed on a seeded sample of --data (--subsample, default \
            30000 reviews) for --epochs (default 3) and measured on its validation split, and on --eval-data when \
            given. Units are varied at --layers-for-units layers, layers at --units-for-layers units; the other \
            network options are the study's defaults unless given.
            """)

    @Option(help: "Training data file (repeatable).") var data: [String]
    @Option(help: "Format of the data files (default: detected).") var inputFormat: InputFormat?
    @Option(help: "Extra evaluation data (e.g. a held-out test file).") var evalData: String?
    @Option(parsing: .unconditional, help: "Seeded sample size of the training data (0: all).") var subsample = 30_000
    @Option(parsing: .unconditional, help: "Comma-separated LSTM unit counts.") var units = "50,300,425,500"
    @Option(parsing: .unconditional, help: "Comma-separated LSTM layer counts.") var layers = "1,2,3,4"
    @Option(parsing: .unconditional, help: "Layers while varying the units.") var layersForUnits = 1
    @Option(parsing: .unconditional, help: "Units while varying the layers.") var unitsForLayers = 50
    @OptionGroup var network: NetworkOptions
    @Option(parsing: .unconditional, help: "Epochs per configuration.") var epochs = 3
    @Option(parsing: .unconditional, help: "Seed.") var seed: UInt64 = 1
    @Option(parsing: .unconditional, help: "Worker threads.") var threads = 2
    @Option(help: "Output: table (Markdown) or json.") var format = DetailFormat.table

    func validate() throws {
        _ = try Self.integers(units, name: "--units")
        _ = try Self.integers(layers, name: "--layers")
        if subsample < 0 { throw ValidationError("--subsample must be 0 (all) or more") }
        for (flag, value) in [
            ("--layers-for-units", layersForUnits), ("--units-for-layers", unitsForLayers), ("--epochs", epochs),
            ("--threads", threads),
        ] where value < 1 {
            throw ValidationError("\(flag) must be at least 1")
        }
        // The trainer's check of the other shape options, made before the data is read: the LSTM sizes it adds are
        // the lists' (positive, checked above), so the study's stand in for them.
        if let problem = network.settings.problem { throw ValidationError(problem) }
    }

    func run() async throws {
        try await reportingFailures("sentiment sweep") { try await runSweep() }
    }

    private func runSweep() async throws {
        let unitList = try Self.integers(units, name: "--units")
        let layerList = try Self.integers(layers, name: "--layers")
        BLASThreads.set(1)
        var examples: [LabeledText] = []
        for path in data { examples += try readDataset(path, format: inputFormat).examples }
        if subsample > 0 { examples = DatasetSplit.sample(examples, count: subsample, seed: seed) }
        if let problem = TrainingDataRequirement.onePolarityProblem(examples) { throw CommandError(problem) }
        let evaluation = try evalData.map { try readDataset($0, format: inputFormat).examples }
        let settings = network.settings
        var options = TrainingOptions()
        options.epochs = epochs
        options.seed = seed
        options.threads = threads
        options.patience = 0
        let sweep = Sweep(
            units: unitList, layers: layerList, layersForUnits: layersForUnits, unitsForLayers: unitsForLayers,
            settings: settings, options: options)
        let plan = sweep.plan
        var reporter = TrainingReporter(interval: isatty(STDERR_FILENO) != 0 ? 0.5 : 60)
        let results = try sweep.run(TrainingInput(examples: examples), evaluation: evaluation) { index, event in
            if case .started = event {
                StandardError.write(
                    "[\(index + 1)/\(plan.count)] \(plan[index].units) units × \(plan[index].layers) layers")
            }
            guard let line = reporter.line(for: event) else { return }
            StandardError.overwrite(line.text)
            if !line.transient { StandardError.endLine() }
        }
        if format == .json {
            print(try Sweep.json(results))
        } else {
            print(Sweep.table(results, evaluationName: evalData.map { URL(fileURLWithPath: $0).lastPathComponent }))
        }
    }

    static func integers(_ list: String, name: String) throws -> [Int] {
        let values = list.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.allSatisfy({ ($0 ?? 0) > 0 }) else {
            throw ValidationError("\(name) takes a comma-separated list of positive integers, e.g. 50,300")
        }
        return values.compactMap { $0 }
    }
}
