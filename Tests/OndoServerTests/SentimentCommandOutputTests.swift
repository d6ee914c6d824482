import Foundation
import TestSupport
import Testing

/// `ondo sentiment train` and `split` check where they will write before they read or train, and refuse outputs
/// that would lose work or data.
@Suite struct SentimentCommandOutputTests {
    /// A fresh folder holding a small binary-labelled data file, `data.tsv`.
    private func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ondo-output-\(UUID())")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        let lines = (0..<40).map { "\($0 % 2)\t\($0 % 2 == 0 ? "별로예요" : "좋아요") \($0)\n" }.joined()
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
