import ArgumentParser
import Foundation
import Sentiment

/// `ondo sentiment train`: trains a model from labelled review files, or adapts one to the shop's own rated
/// reviews (`--from-database`), and writes the model file.
struct SentimentTrainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a sentiment model on labelled reviews (files or the shop's database) and write a model file.",
        discussion: """
            From files: the validation split (--validation-fraction, seeded) is carved from the --data files; the \
            best epoch on it is kept and the calibration temperature is fitted on it. --adapt files (e.g. reviews \
            from the shop's own domain) are added to every epoch --adapt-repeats times and never used for \
            validation. --teacher models (trained ones, e.g. of other seeds) make each training review's target \
            its label blended with their mean probability (--teacher-weight of it): one model learns part of what \
            an ensemble knows.

            The model file is written whole or not at all (a temporary file in the --out folder, renamed when \
            complete). An --out file that exists, the shipped model included, is refused before anything is read \
            or trained, unless --overwrite.

            From the shop's database (--from-database, with --database-url or --embedded like the other database \
            commands): the newest --limit reviews with 1–2 stars (negative) or 4–5 stars (positive) and a \
            non-blank text become the data; 3-star and unrated reviews are skipped. A seeded --hold-out share is \
            set aside first and never trained on. By default $ONDO_SENTIMENT_MODEL, else the shipped model, is \
            fine-tuned (--base; its tokenizer and network shape are kept, so shape options are refused, and the \
            defaults become 2 epochs at learning rate 0.0003); --base none trains a new model. Accuracy on the held-out reviews is \
            printed for the base model before and for the new model after; a new model less accurate than its \
            base is not written unless --force. --from-database cannot be combined with --data, --adapt, \
            --teacher, --subsample or --input-format.

            Example:
              ondo sentiment train --from-database --embedded --since 2026-01-01 \\
                --out models/shop.model
            """)

    @Option(help: "Training data file (repeatable; required unless --from-database).") var data: [String] = []
    @Option(help: "Format of the data files: nsmc, rating or binary (default: detected when unambiguous).")
    var inputFormat: InputFormat?
    @Option(help: "In-domain adaptation data file (repeatable; format detected or --input-format).") var adapt:
        [String] = []
    @Option(parsing: .unconditional, help: "Copies of each adaptation review per epoch.") var adaptRepeats = 1
    @Option(help: "A trained model whose probabilities are blended into the training targets (repeatable).")
    var teacher: [String] = []
    @Option(
        parsing: .unconditional,
        help: "Share of each training target taken from the teachers' mean probability (default with --teacher: 0.5).")
    var teacherWeight: Float?
    @Option(parsing: .unconditional, help: "Use a seeded sample of this many reviews from --data (quick experiments).")
    var subsample: Int?
    @Option(help: "Output model file.") var out: String
    @Flag(help: "Replace the --out file if it exists (by default an existing file is refused before training).")
    var overwrite = false
    @Option(help: "Model name (default: the output file's name without extension).") var name: String?
    @Option(parsing: .unconditional, help: "Units per LSTM layer (default: 50).") var units: Int?
    @Option(parsing: .unconditional, help: "Stacked LSTM layers (default: 3).") var layers: Int?
    @OptionGroup var network: NetworkOptions
    @OptionGroup var training: TrainingOptionGroup
    @OptionGroup(title: "Training from the shop's database") var database: DatabaseTrainingOptions
    @OptionGroup(title: "Database connection (with --from-database)") var common: CommonOptions

    func validate() throws {
        if let subsample, subsample < 1 { throw ValidationError("--subsample must be at least 1") }
        if adaptRepeats < 1 { throw ValidationError("--adapt-repeats must be at least 1") }
        if teacherWeight != nil && teacher.isEmpty { throw ValidationError("--teacher-weight needs --teacher") }
        if let teacherWeight, !(0...1).contains(teacherWeight) {
            throw ValidationError("--teacher-weight must be in [0, 1]")
        }
        // The trainer checks these too, but only once the data is read.
        let fineTuning = database.fromDatabase && database.usesBase
        if let problem = training.options(fineTuning: fineTuning).problem { throw ValidationError(problem) }
        // The trainer's own check, made now rather than once the data is read. (A fine-tuned model keeps its base's
        // shape: shape options are refused below.)
        if !fineTuning, let problem = newModelSettings.problem { throw ValidationError(problem) }
        guard database.fromDatabase else {
            if data.isEmpty {
                throw ValidationError(
                    "give at least one --data file, or train on the shop's reviews with --from-database")
            }
            let databaseOnly =
                database.givenDatabaseOnlyOptions + (common.databaseURL == nil ? [] : ["--database-url"])
                + (common.databasePasswordFile == nil ? [] : ["--database-password-file"])
                + (common.embedded ? ["--embedded"] : []) + (common.embeddedDir == nil ? [] : ["--embedded-dir"])
            if !databaseOnly.isEmpty {
                let verb = databaseOnly.count == 1 ? "needs" : "need"
                throw ValidationError("\(databaseOnly.joined(separator: ", ")) \(verb) --from-database")
            }
            return
        }
        let fileOnly =
            (data.isEmpty ? [] : ["--data"]) + (adapt.isEmpty ? [] : ["--adapt"])
            + (teacher.isEmpty ? [] : ["--teacher"])
            + (subsample == nil ? [] : ["--subsample"]) + (inputFormat == nil ? [] : ["--input-format"])
        if !fileOnly.isEmpty {
            // --limit and --since stand in for --subsample only; the other options have no database counterpart.
            throw ValidationError(
                "--from-database trains on the shop's reviews alone and cannot be combined with "
                    + fileOnly.joined(separator: ", ")
                    + (subsample == nil ? "" : " (cap the reviews with --limit or --since)"))
        }
        let shape =
            (units == nil ? [] : ["--units"]) + (layers == nil ? [] : ["--layers"]) + network.givenShapeOptions
        if database.usesBase && !shape.isEmpty {
            throw ValidationError(
                "a fine-tuned model keeps its --base model's network shape and tokenizer, so "
                    + "\(shape.joined(separator: ", ")) cannot be given; use --base none to train a new model")
        }
    }

    func run() async throws {
        try await reportingFailures("sentiment train") {
            try OutputFile.check(out, option: "--out", overwrite: overwrite)
            BLASThreads.set(1)
            if database.fromDatabase {
                try await trainFromDatabase()
            } else {
                try trainFromFiles()
            }
        }
    }

    private func trainFromFiles() throws {
        var examples: [LabeledText] = []
        var sources: [TrainingRecord.Source] = []
        for path in data {
            let dataset = try readDataset(path, format: inputFormat)
            examples += dataset.examples
            sources.append(.init(path: path, format: dataset.format, examples: dataset.examples.count, repeats: 1))
        }
        if let subsample {
            examples = DatasetSplit.sample(examples, count: subsample, seed: training.seed)
            StandardError.write("using a seeded sample of \(NumberText.grouped(examples.count)) reviews")
        }
        var adaptation: [LabeledText] = []
        for path in adapt {
            let dataset = try readDataset(path, format: inputFormat)
            adaptation += dataset.examples
            sources.append(
                .init(path: path, format: dataset.format, examples: dataset.examples.count, repeats: adaptRepeats))
        }
        if let problem = TrainingDataRequirement.onePolarityProblem(examples + adaptation) {
            throw CommandError(problem)
        }
        try requireEnoughFileData(examples)
        let teachers = try teacher.map { try loadModel(at: URL(fileURLWithPath: $0), namedBy: "--teacher") }
        var trainer = newModelTrainer()
        if !teachers.isEmpty {
            trainer.options.teacherWeight = teacherWeight ?? 0.5
            StandardError.write(
                "scoring the training reviews with \(teachers.count) teacher model\(teachers.count == 1 ? "" : "s"); "
                    + "each target is \(trainer.options.teacherWeight) of their mean probability")
        }
        var reporter = Self.reporter()
        let model = try trainer.train(
            TrainingInput(
                examples: examples, adaptation: adaptation, adaptationRepeats: adaptRepeats, sources: sources,
                teachers: teachers)
        ) { Self.show($0, &reporter) }
        try writeModel(model)
        let record = model.training
        let accuracy = record?.validation.map { ProgressBar.fixed(100 * $0.accuracy, 2) + " %" } ?? "n/a"
        print(
            "wrote \(out) (\(model.version), \(NumberText.grouped(model.parameterCount)) parameters); validation accuracy \(accuracy); "
                + "trained in \(ProgressBar.duration(record?.wallSeconds ?? 0))")
    }

    /// Writes `model` to --out (atomically: ``SentimentModel/write(to:)``), checking --out again first: a file
    /// that appeared there while the model trained is not replaced without --overwrite either.
    func writeModel(_ model: SentimentModel) throws {
        try OutputFile.check(out, option: "--out", overwrite: overwrite)
        try model.write(to: URL(fileURLWithPath: out))
    }

    /// A trainer for a new model with this command's shape, tokenizer and training options.
    func newModelTrainer() -> SentimentTrainer {
        trainer(settings: newModelSettings, fineTuning: false)
    }

    /// The shape and tokenizer of a new model: the network options with the LSTM sizes.
    private var newModelSettings: ModelSettings {
        var settings = network.settings
        if let units { settings.lstmUnits = units }
        if let layers { settings.lstmLayers = layers }
        return settings
    }

    /// A trainer with `settings`, the training options (their fine-tuning defaults when `fineTuning`), the model
    /// name and the command line.
    func trainer(settings: ModelSettings, fineTuning: Bool) -> SentimentTrainer {
        SentimentTrainer(
            name: name ?? URL(fileURLWithPath: out).deletingPathExtension().lastPathComponent, settings: settings,
            options: training.options(fineTuning: fineTuning),
            command: (["ondo"] + CommandLine.arguments.dropFirst()).joined(separator: " "))
    }

    /// A progress reporter for stderr: frequent bars on a terminal, a line every 30 s otherwise.
    static func reporter() -> TrainingReporter {
        TrainingReporter(interval: isatty(STDERR_FILENO) != 0 ? 0.5 : 30)
    }

    /// Shows a training event on stderr.
    static func show(_ event: TrainingEvent, _ reporter: inout TrainingReporter) {
        guard let line = reporter.line(for: event) else { return }
        StandardError.overwrite(line.text)
        if !line.transient { StandardError.endLine() }
    }
}
