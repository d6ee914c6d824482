import Foundation
import TestSupport
import Testing

/// `ondo sentiment train` and `split` check where they will write before they read or train, and refuse outputs
/// that would lose work or data.
@Suite struct SentimentCommandOutputTests {
    /// A fresh folder holding a binary-labelled data file, `data.tsv`, of `reviews` reviews (half of each polarity).
    /// Training needs 200 (``trainRefusesTooFewReviews()``).
    private func folder(reviews: Int = 40) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ondo-output-\(UUID())")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        let lines = (0..<reviews).map { "\($0 % 2)\t\($0 % 2 == 0 ? "별로예요" : "좋아요") \($0)\n" }.joined()
        try Data(lines.utf8).write(to: url.appendingPathComponent("data.tsv"))
        return url
    }

    @Test func trainRefusesADirectoryAsOutputBeforeTraining() async throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = dir.appendingPathComponent("data.tsv").path
        for out in [dir.path, dir.appendingPathComponent("missing/model.model").path] {
            let outcome = try await OndoExecutable.run([
                "sentiment", "train", "--data", data, "--input-format", "binary", "--epochs", "1", "--out", out,
            ])
            #expect(outcome.status == 1, "\(outcome.standardError)")
            #expect(outcome.standardError.contains("--out \(out)"), "\(outcome.standardError)")
            #expect(
                !outcome.standardError.contains("epoch 1"), "trained before checking --out: \(outcome.standardError)")
        }
    }

    /// Reviews of one polarity only (every label 1, say, or a rating file read with the wrong format) teach a
    /// model nothing: training wrote one anyway, with "validation accuracy 100.00 %". `train` and `sweep` refuse
    /// them before training, with the counts, and no model is written.
    @Test func trainRefusesReviewsOfOnePolarityOnly() async throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = dir.appendingPathComponent("positive.tsv")
        try Data((0..<40).map { "1\t좋아요 \($0)\n" }.joined().utf8).write(to: data)
        let out = dir.appendingPathComponent("one-sided.model")
        let outcome = try await OndoExecutable.run([
            "sentiment", "train", "--data", data.path, "--input-format", "binary", "--epochs", "1", "--units", "4",
            "--layers", "1", "--out", out.path,
        ])
        #expect(outcome.status == 1, "\(outcome.standardError)")
        #expect(
            outcome.standardError.contains("40 positive and 0 negative reviews"), "\(outcome.standardError)")
        #expect(!outcome.standardError.contains("epoch 1"), "trained before refusing: \(outcome.standardError)")
        #expect(!FileManager.default.fileExists(atPath: out.path), "a model was written")

        let sweep = try await OndoExecutable.run([
            "sentiment", "sweep", "--data", data.path, "--input-format", "binary", "--units", "4", "--layers", "1",
            "--subsample", "0", "--epochs", "1",
        ])
        #expect(sweep.status == 1, "\(sweep.standardError)")
        #expect(sweep.standardError.contains("40 positive and 0 negative reviews"), "\(sweep.standardError)")
    }

    /// Three labelled reviews trained and wrote a model (with no validation split: 10 % of 3 rounds to 0). Too few
    /// --data reviews, or too small a validation split, are refused before training with the counts, as
    /// --from-database refuses too few rated reviews, and no model is written.
    @Test func trainRefusesTooFewReviews() async throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let three = dir.appendingPathComponent("three.tsv")
        try Data("1\t좋아요 최고\n0\t별로예요\n1\t괜찮아요\n".utf8).write(to: three)
        let out = dir.appendingPathComponent("few.model")
        let options = ["--input-format", "binary", "--epochs", "1", "--units", "4", "--layers", "1"]
        let few = try await OndoExecutable.run(
            ["sentiment", "train", "--data", three.path, "--out", out.path] + options)
        #expect(few.status == 1, "\(few.standardError)")
        let expected =
            "found 3 usable reviews in the --data files (2 positive, 1 negative), too few to train on: at least 200 "
            + "are needed, with at least 20 positive and 20 negative; the validation split (--validation-fraction 0.1) "
            + "of 3 reviews holds 0, too few to choose the best epoch and fit the calibration temperature: it needs at "
            + "least 20, which takes 195 reviews at this share"
        #expect(few.standardError.contains(expected), "\(few.standardError)")
        #expect(!few.standardError.contains("epoch 1"), "trained before refusing: \(few.standardError)")
        #expect(!FileManager.default.fileExists(atPath: out.path), "a model was written")

        // Enough reviews (300), too small a share of them for validation: 5 % is 15.
        let enough = try folder(reviews: 300)
        defer { try? FileManager.default.removeItem(at: enough) }
        let data = enough.appendingPathComponent("data.tsv").path
        let thinOut = enough.appendingPathComponent("thin.model")
        let thin = try await OndoExecutable.run(
            ["sentiment", "train", "--data", data, "--validation-fraction", "0.05", "--out", thinOut.path] + options)
        #expect(thin.status == 1, "\(thin.standardError)")
        #expect(
            thin.standardError.contains(
                "ondo sentiment train: the validation split (--validation-fraction 0.05) of 300 reviews holds 15, too "
                    + "few to choose the best epoch and fit the calibration temperature: it needs at least 20, which "
                    + "takes 390 reviews at this share"), "\(thin.standardError)")
        #expect(!FileManager.default.fileExists(atPath: thinOut.path), "a model was written")
    }

    /// `split` said "kept.tsv: 1200 lines; held.tsv: 1200 lines", the only counts of `ondo` not grouped.
    @Test func splitGroupsItsLineCounts() async throws {
        let dir = try folder(reviews: 2_400)
        defer { try? FileManager.default.removeItem(at: dir) }
        let (kept, held) = (dir.appendingPathComponent("kept.tsv").path, dir.appendingPathComponent("held.tsv").path)
        let outcome = try await OndoExecutable.run([
            "sentiment", "split", "--data", dir.appendingPathComponent("data.tsv").path, "--kept-out", kept,
            "--held-out-out", held,
        ])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let keptLines = try String(contentsOfFile: kept, encoding: .utf8).split(separator: "\n").count
        let heldLines = try String(contentsOfFile: held, encoding: .utf8).split(separator: "\n").count
        #expect(keptLines >= 1_000 && heldLines >= 1_000, "\(keptLines), \(heldLines)")
        let line =
            "\(kept): \(keptLines / 1_000),\(String(format: "%03d", keptLines % 1_000)) lines; "
            + "\(held): \(heldLines / 1_000),\(String(format: "%03d", heldLines % 1_000)) lines (seed 1)\n"
        #expect(outcome.standardOutput == line)
    }

    @Test func splitRefusesOutputsThatWouldOverwriteEachOtherOrTheData() async throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = dir.appendingPathComponent("data.tsv").path
        let part = dir.appendingPathComponent("part.tsv").path
        let cases: [(kept: String, heldOut: String)] = [(part, part), (data, part), (part, data), (dir.path, part)]
        for (kept, heldOut) in cases {
            let outcome = try await OndoExecutable.run([
                "sentiment", "split", "--data", data, "--kept-out", kept, "--held-out-out", heldOut,
            ])
            #expect(outcome.status != 0, "kept \(kept), held out \(heldOut): \(outcome.standardOutput)")
            #expect(!outcome.standardError.contains("NSCocoaErrorDomain"), "\(outcome.standardError)")
            #expect(
                !FileManager.default.fileExists(atPath: part), "wrote \(part) for kept \(kept), held out \(heldOut)")
            let content = try String(contentsOfFile: data, encoding: .utf8)
            #expect(content.split(separator: "\n").count == 40, "the data file was overwritten")
        }
    }

    /// An --out file that exists (the shipped model, say) was replaced without a word. It is refused, named, before
    /// anything is trained, unless --overwrite; with it the file is replaced whole, and no temporary file stays.
    @Test func trainRefusesAnExistingOutputUnlessOverwrite() async throws {
        let dir = try folder(reviews: 200)
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("earlier.model")
        let earlier = Data("an earlier model".utf8)
        try earlier.write(to: out)
        let train = [
            "sentiment", "train", "--data", dir.appendingPathComponent("data.tsv").path, "--input-format", "binary",
            "--epochs", "1", "--units", "4", "--layers", "1", "--out", out.path,
        ]
        let refused = try await OndoExecutable.run(train)
        #expect(refused.status == 1, "\(refused.standardError)")
        #expect(
            refused.standardError.contains("--out \(out.path) exists; name another file, or give --overwrite"),
            "\(refused.standardError)")
        #expect(!refused.standardError.contains("epoch 1"), "trained before refusing: \(refused.standardError)")
        #expect(try Data(contentsOf: out) == earlier, "the existing file was changed")

        let replaced = try await OndoExecutable.run(train + ["--overwrite"])
        #expect(replaced.status == 0, "\(replaced.standardError)")
        #expect(try Data(contentsOf: out).starts(with: Data("ONDOSENT".utf8)), "not replaced by a model file")
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        #expect(left == ["data.tsv", "earlier.model"], "files left in the folder: \(left)")
    }

    /// Either output of `split` that exists is refused, named, and neither part is written, unless --overwrite.
    @Test func splitRefusesAnExistingOutputUnlessOverwrite() async throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let kept = dir.appendingPathComponent("kept.tsv")
        let heldOut = dir.appendingPathComponent("held-out.tsv")
        let earlier = Data("earlier lines\n".utf8)
        for (existing, fresh, option) in [(kept, heldOut, "--kept-out"), (heldOut, kept, "--held-out-out")] {
            try? FileManager.default.removeItem(at: fresh)
            try earlier.write(to: existing)
            let refused = try await OndoExecutable.run([
                "sentiment", "split", "--data", dir.appendingPathComponent("data.tsv").path, "--kept-out", kept.path,
                "--held-out-out", heldOut.path,
            ])
            #expect(refused.status == 1, "\(refused.standardError)")
            let sentence = "\(option) \(existing.path) exists; name another file, or give --overwrite"
            #expect(refused.standardError.contains(sentence), "\(refused.standardError)")
            #expect(try Data(contentsOf: existing) == earlier, "\(option): the existing file was changed")
            #expect(!FileManager.default.fileExists(atPath: fresh.path), "\(option): the other part was written")
        }
        let replaced = try await OndoExecutable.run([
            "sentiment", "split", "--data", dir.appendingPathComponent("data.tsv").path, "--kept-out", kept.path,
            "--held-out-out", heldOut.path, "--overwrite",
        ])
        #expect(replaced.status == 0, "\(replaced.standardError)")
        let lines = try [kept, heldOut].map { try String(contentsOf: $0, encoding: .utf8).split(separator: "\n").count }
        #expect(lines.reduce(0, +) == 40, "the two parts hold the 40 lines: \(lines)")
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        #expect(left == ["data.tsv", "held-out.tsv", "kept.tsv"], "files left in the folder: \(left)")
    }

    /// A --data file that is missing or not UTF-8 is named with what is wrong with it, as `eval` and `train` do,
    /// and is not a usage error (exit 1, no usage text).
    @Test func splitSaysWhyItCannotReadTheData() async throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let binary = dir.appendingPathComponent("binary.tsv")
        try Data([0xFF, 0xFE, 0x0A]).write(to: binary)
        let cases = [
            (dir.appendingPathComponent("missing.tsv").path, "no such file"), (binary.path, "not a UTF-8 text file"),
        ]
        for (data, reason) in cases {
            let outcome = try await OndoExecutable.run([
                "sentiment", "split", "--data", data, "--kept-out", dir.appendingPathComponent("a.tsv").path,
                "--held-out-out", dir.appendingPathComponent("b.tsv").path,
            ])
            #expect(outcome.status == 1, "\(data): \(outcome.standardError)")
            #expect(outcome.standardError.contains("cannot read \(data): \(reason)"), "\(outcome.standardError)")
            #expect(!outcome.standardError.contains("Usage:"), "\(outcome.standardError)")
        }
    }
}

/// A model file that cannot be used is named in the error, wherever it was found.
@Suite struct SentimentModelFileErrorTests {
    @Test func aDamagedModelIsNamed() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ondo-damaged-\(UUID()).model").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let shipped = try Data(contentsOf: URL(fileURLWithPath: PipelineHarness.modelPath))
        try shipped.prefix(1000).write(to: URL(fileURLWithPath: path))
        let explicit = try await OndoExecutable.run(["sentiment", "info", "--model", path])
        let located = try await OndoExecutable.run(
            ["sentiment", "predict", "좋아요"], environment: ["ONDO_SENTIMENT_MODEL": path])
        for outcome in [explicit, located] {
            #expect(outcome.status == 1)
            #expect(outcome.standardError.contains("truncated"), "\(outcome.standardError)")
            #expect(outcome.standardError.contains(path), "\(outcome.standardError)")
        }
    }
}
