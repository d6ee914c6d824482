import CRMStore
import Foundation
import Sentiment

extension SentimentTrainCommand {
    /// `--from-database`: reads the shop's rated reviews, holds a seeded share out, fine-tunes the base model (or
    /// trains a new one) on the rest, and writes the result unless it is less accurate than the base on the
    /// held-out reviews.
    func trainFromDatabase() async throws {
        let base = try loadBase()
        let since = database.since.flatMap(DateArgument.parse)
        let limit = database.limit ?? DatabaseTrainingOptions.defaultLimit
        let progress = ProgressLine(unit: "reviews")
        let reviews = try await common.withOperations(label: "ondo.sentiment") {
            try await $0.ratedReviews(since: since, limit: limit) { progress.show($0) }
        }
        StandardError.endLine()
        let examples = reviews.map { LabeledText(text: $0.body, positive: $0.positive) }
        let scope =
            "shop.reviews" + (database.since.map { " since \($0)" } ?? "")
            + (reviews.count == limit ? " (the newest \(NumberText.grouped(limit)), --limit)" : "")
        if let shortfall = TrainingDataRequirement().shortfall(examples) {
            throw CommandError("\(scope): \(shortfall)")
        }
        let holdOut = database.holdOut ?? DatabaseTrainingOptions.defaultHoldOut
        let (kept, heldOut) = DatasetSplit.split(
            examples, holdOut: holdOut, seed: training.seed &+ Self.heldOutSeed)
        if heldOut.isEmpty || kept.isEmpty {
            throw CommandError(
                "--hold-out \(holdOut) of \(NumberText.grouped(examples.count)) reviews leaves none to hold out or none to train on"
            )
        }
        try requireValidationSplit(kept: kept.count, heldOut: heldOut.count, scope: scope, holdOut: holdOut)
        let positive = examples.filter(\.positive).count
        let n: (Int) -> String = NumberText.grouped
        StandardError.write(
            "\(scope): \(n(examples.count)) rated reviews (\(n(positive)) positive, \(n(examples.count - positive)) "
                + "negative); \(n(heldOut.count)) held out, \(n(kept.count)) to train on")
        let before = base.map { $0.evaluate(heldOut) }

        var reporter = Self.reporter()
        let input = TrainingInput(
            examples: kept, sources: [.init(path: scope, format: .rating, examples: kept.count, repeats: 1)])
        let model: SentimentModel
        if let base {
            var settings = ModelSettings()
            settings.weightStorage = network.weightStorage ?? base.storage
            model = try trainer(settings: settings, fineTuning: true).fineTune(base, on: input) {
                Self.show($0, &reporter)
            }
        } else {
            model = try newModelTrainer().train(input) { Self.show($0, &reporter) }
        }
        let after = model.evaluate(heldOut)

        let heldOutPositive = heldOut.filter(\.positive).count
        print(
            "held out     \(n(heldOut.count)) reviews (\(n(heldOutPositive)) positive, "
                + "\(n(heldOut.count - heldOutPositive)) negative; seed \(training.seed)), never trained on")
        print("before       " + (before.map { Self.score($0) + "  \(base?.version ?? "")" } ?? "n/a (--base none)"))
        print("after        " + Self.score(after) + "  \(model.version)")
        let decision = FineTuneDecision(
            baseAccuracy: before?.accuracy, newAccuracy: after.accuracy, force: database.force)
        if decision == .refuse, let before {
            throw CommandError(
                "the new model is less accurate on the held-out reviews than its base (\(Self.percent(after)) "
                    + "against \(Self.percent(before))): \(out) not written (--force writes it anyway)")
        }
        if decision == .writeWorse {
            StandardError.write("the new model is less accurate than its base; writing it (--force)")
        }
        try writeModel(model)
        print(
            "wrote \(out) (\(model.version), \(n(model.parameterCount)) parameters); "
                + (base.map { "fine-tuned from \($0.version)" } ?? "trained from scratch")
                + " on \(n(kept.count)) reviews in \(ProgressBar.duration(model.training?.wallSeconds ?? 0))")
    }

    /// Added to --seed for the held-out split, so that it differs from the validation split the trainer carves.
    static let heldOutSeed: UInt64 = 0x4845_4C44

    /// The base model to fine-tune, nil for --base none.
    private func loadBase() throws -> SentimentModel? {
        guard database.usesBase else { return nil }
        let url = try ModelLocator.locate(explicit: database.base)
        let model = try loadModel(at: url, namedBy: ModelLocator.setting(explicit: database.base, option: "--base"))
        StandardError.write("base model \(model.version) (\(url.path))")
        return model
    }

    private static func percent(_ metrics: BinaryMetrics) -> String {
        ProgressBar.fixed(100 * metrics.accuracy, 2) + " %"
    }

    private static func score(_ metrics: BinaryMetrics) -> String {
        "accuracy \(percent(metrics)) (\(NumberText.grouped(metrics.truePositives + metrics.trueNegatives)) of "
            + "\(NumberText.grouped(metrics.count)) right)"
    }
}
