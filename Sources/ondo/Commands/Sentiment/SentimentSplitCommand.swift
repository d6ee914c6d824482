import ArgumentParser
import Foundation
import Sentiment

/// `ondo sentiment split`: a seeded split of a data file into a training part and a held-out part,
/// lines kept as written (e.g. to adapt on half of a domain sample and evaluate on the other half).
struct SentimentSplitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "split", abstract: "Split a labelled data file into two parts, seeded and reproducible.")

    @Option(help: "Data file to split.") var data: String
    @Option(parsing: .unconditional, help: "Share of the lines held out.") var holdOut = 0.5
    @Option(parsing: .unconditional, help: "Seed of the split.") var seed: UInt64 = 1
    @Option(help: "Where to write the kept part.") var keptOut: String
    @Option(help: "Where to write the held-out part.") var heldOutOut: String
    @Flag(help: "Replace --kept-out and --held-out-out if they exist (by default an existing file is refused).")
    var overwrite = false

    /// The two output files with their options.
    private var outputs: [(option: String, path: String)] { [("--kept-out", keptOut), ("--held-out-out", heldOutOut)] }

    func validate() throws {
        guard (0...1).contains(holdOut) else {
            throw ValidationError("--hold-out must be a share between 0 and 1, e.g. 0.5 (it is \(holdOut))")
        }
        // The data is read whole before either part is written, so an output naming it would replace it.
        if OutputFile.same(keptOut, heldOutOut) {
            throw ValidationError(
                "--kept-out and --held-out-out name the same file; the second part would replace the first")
        }
        for (option, path) in outputs where OutputFile.same(path, data) {
            throw ValidationError("\(option) \(path) is the --data file; name another file")
        }
    }

    func run() async throws {
        try await reportingFailures("sentiment split") { try await splitData() }
    }

    private func splitData() async throws {
        for (option, path) in outputs {
            try OutputFile.check(path, option: option, overwrite: overwrite)
        }
        let content: String
        do {
            content = try String(contentsOfFile: data, encoding: .utf8)
        } catch {
            // Worded as train and eval word it (DatasetReader); not a usage error, so no usage text follows.
            let reason = FileManager.default.fileExists(atPath: data) ? "not a UTF-8 text file" : "no such file"
            throw CommandError("cannot read \(data): \(reason)")
        }
        let parts = DatasetSplit.splitLines(content, holdOut: holdOut, seed: seed)
        // Atomically (a temporary file in the same folder, then renamed): a reader, or a failed run, never leaves half
        // a file where a whole one was.
        try Data(parts.kept.utf8).write(to: URL(fileURLWithPath: keptOut), options: .atomic)
        try Data(parts.heldOut.utf8).write(to: URL(fileURLWithPath: heldOutOut), options: .atomic)
        let count = { (s: String) in NumberText.grouped(s.split(separator: "\n").count) }
        print("\(keptOut): \(count(parts.kept)) lines; \(heldOutOut): \(count(parts.heldOut)) lines (seed \(seed))")
    }
}
