import Foundation
import Sentiment
import TestSupport
import Testing

/// `ondo sentiment train --from-database` as a separate process on a generated shop: the shipped model fine-tuned
/// on the shop's rated reviews, judged on a held-out part, and the refusals.
@Suite(.serialized) struct TrainFromDatabaseCommandTests {
    /// The shipped model, the default --base, found from this file's place in the repository.
    static let shippedModel = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("models").appendingPathComponent(SentimentModel.defaultFileName)

    /// A fresh database holding a small generated shop (`reviews` reviews, most of them rated 1–2 or 4–5).
    static func shop(_ name: String, reviews: Int = 500) async throws -> TestDatabase {
        let db = try await TestPostgres.shared.freshDatabase(name)
        let generated = try await OndoExecutable.run(
            [
                "generate", "--seed", "7", "--customers", "\(reviews)", "--products", "30",
                "--orders", "\(2 * reviews)", "--reviews", "\(reviews)", "--now", "2026-01-01",
            ], environment: db.environment())
        #expect(generated.status == 0, "stderr: \(generated.standardError)")
        return db
    }

    static func train(_ arguments: [String], on db: TestDatabase) async throws -> OndoExecutable.Outcome {
        try await OndoExecutable.run(
            ["sentiment", "train", "--from-database"] + arguments, environment: db.environment(as: .app))
    }

    /// A folder of its own for the test's model files.
    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ondo-train-db-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// The `(right, count)` of a "before" or "after" line: `after        accuracy 97.50 % (78 of 80 right)  …`.
    static func score(_ label: String, in output: String) -> (right: Int, count: Int)? {
        guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix(label) }),
            let open = line.firstIndex(of: "("), let close = line.firstIndex(of: ")")
        else { return nil }
        // Counts are grouped ("1,234 of 1,300 right").
        let words = line[line.index(after: open)..<close].replacingOccurrences(of: ",", with: "").split(separator: " ")
        guard words.count == 4, let right = Int(words[0]), let count = Int(words[2]) else { return nil }
        return (right, count)
    }

    @Test func fineTunesTheShippedModelAndWritesALoadableModel() async throws {
        // Enough reviews (about 1,700 usable) for the default two epochs to move the weights measurably.
        let db = try await Self.shop("TrainFromDatabase", reviews: 2_000)
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("shop.model").path

        let outcome = try await Self.train(["--out", out], on: db)
        print("ondo sentiment train --from-database:\n\(outcome.standardOutput)")
        #expect(outcome.status == 0, "stderr: \(outcome.standardError)")

        let usable = try await db.withConnection {
            try $0.queryValue(
                Int.self,
                "SELECT count(*) FROM shop.reviews WHERE rating IN (1, 2, 4, 5) AND body ~ '[^[:space:]]'")
        }
        // Over 1,000, so that the count shows its grouping ("1700 rated reviews" before counts were grouped).
        #expect((1_000..<1_000_000).contains(usable), "\(usable)")
        let grouped = String(format: "%d,%03d", usable / 1_000, usable % 1_000)
        #expect(outcome.standardError.contains("shop.reviews: \(grouped) rated reviews"), "\(outcome.standardError)")
        let heldOut = Int((Double(usable) * 0.2).rounded())
        let before = try #require(Self.score("before", in: outcome.standardOutput))
        let after = try #require(Self.score("after", in: outcome.standardOutput))
        #expect(before.count == heldOut)
        #expect(after.count == heldOut)
        // Measured: 318 → 327 of 342 right (92.98 % → 95.61 %).
        #expect(after.right > before.right, "two epochs on the shop's own reviews improve the shipped model")

        let shipped = try SentimentModel.load(contentsOf: Self.shippedModel)
        let model = try SentimentModel.load(contentsOf: URL(fileURLWithPath: out))
        #expect(model.training?.base == shipped.version)
        #expect(model.training?.trainingExamples == usable - heldOut - Int((Double(usable - heldOut) * 0.1).rounded()))
        #expect(model.tokenizer == shipped.tokenizer)
        #expect(model.configuration == shipped.configuration)
        #expect(model.version != shipped.version)
        #expect(outcome.standardOutput.contains("wrote \(out) (\(model.version), "))
        #expect(outcome.standardOutput.contains("fine-tuned from \(shipped.version)"))
    }

    @Test func aWorseModelIsRefusedUnlessForced() async throws {
        let db = try await Self.shop("TrainFromDatabaseWorse")
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("worse.model").path
        // A learning rate of 1 moves every weight by about 1 per Adam step: the network forgets what it knew.
        let wrecking = ["--epochs", "1", "--learning-rate", "1", "--out", out]

        let refused = try await Self.train(wrecking, on: db)
        print("a learning rate of 1:\n\(refused.standardOutput)\(refused.standardError)")
        #expect(refused.status == 1)
        #expect(refused.standardError.contains("the new model is less accurate on the held-out reviews than its base"))
        #expect(refused.standardError.contains("not written (--force writes it anyway)"))
        let before = try #require(Self.score("before", in: refused.standardOutput))
        let after = try #require(Self.score("after", in: refused.standardOutput))
        #expect(after.right < before.right)
        #expect(!FileManager.default.fileExists(atPath: out))

        let forced = try await Self.train(wrecking + ["--force"], on: db)
        #expect(forced.status == 0, "stderr: \(forced.standardError)")
        #expect(forced.standardError.contains("writing it (--force)"))
        #expect(FileManager.default.fileExists(atPath: out))
    }

    @Test func refusesTooFewReviewsAndShapeOptionsWithABase() async throws {
        let db = try await Self.shop("TrainFromDatabaseRefusals")
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("none.model").path

        let few = try await Self.train(["--limit", "150", "--out", out], on: db)
        #expect(few.status == 1)
        #expect(few.standardError.contains("found 150 usable rated reviews"), "\(few.standardError)")
        let future = try await Self.train(["--since", "2027-01-01", "--out", out], on: db)
        #expect(future.status == 1)
        #expect(future.standardError.contains("since 2027-01-01: found 0 usable rated reviews"))
        // Enough reviews, too few left after the hold-out for the trainer's validation split (the rule of --data).
        let thin = try await Self.train(["--hold-out", "0.9", "--out", out], on: db)
        #expect(thin.status == 1)
        #expect(thin.standardError.contains("rated reviews held out (--hold-out 0.9)"), "\(thin.standardError)")
        #expect(
            thin.standardError.contains("too few to choose the best epoch and fit the calibration temperature"),
            "\(thin.standardError)")
        #expect(!FileManager.default.fileExists(atPath: out))

        let shaped = try await Self.train(["--units", "20", "--pooling", "mean", "--out", out], on: db)
        #expect(shaped.status == 64)
        let shapeRefusal = "keeps its --base model's network shape and tokenizer, so --units, --pooling cannot be given"
        #expect(shaped.standardError.contains(shapeRefusal), "\(shaped.standardError)")
        let combined = try await Self.train(["--data", "reviews.tsv", "--out", out], on: db)
        #expect(combined.status == 64)
        #expect(combined.standardError.contains("cannot be combined with --data"))
        let distilled = try await Self.train(["--teacher", "teacher.model", "--out", out], on: db)
        #expect(distilled.status == 64)
        #expect(distilled.standardError.contains("cannot be combined with --teacher"), "\(distilled.standardError)")

        let scratch = try await Self.train(
            [
                "--base", "none", "--units", "8", "--layers", "1", "--embedding", "8", "--filters", "8",
                "--epochs", "1", "--out", out,
            ], on: db)
        #expect(scratch.status == 0, "stderr: \(scratch.standardError)")
        #expect(scratch.standardOutput.contains("before       n/a (--base none)"))
        #expect(scratch.standardOutput.contains("trained from scratch"))
        let model = try SentimentModel.load(contentsOf: URL(fileURLWithPath: out))
        #expect(model.training?.base == nil)
        #expect(model.configuration.lstmUnits == 8)
    }
}
