import Foundation

/// Runs a server program to completion and collects its output (through a temporary file, not a pipe: a pipe
/// would be inherited by the long-lived `postgres` daemon and never reach end of file).
enum CommandRunner {
    struct Outcome {
        var status: Int32
        var output: String
    }

    static func run(_ command: [String]) throws -> Outcome {
        let outputPath = NSTemporaryDirectory() + "ondo-embedded-\(UUID().uuidString).out"
        defer { unlink(outputPath) }
        let pid = try ChildProcess.start(command, outputPath: outputPath)
        let status = ChildProcess.wait(pid)
        let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        return Outcome(status: status, output: text.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
