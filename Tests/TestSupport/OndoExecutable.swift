import Foundation

/// The `ondo` binary built next to the test bundle, for tests that run it as a separate process.
public enum OndoExecutable {
    /// What a finished `ondo` process left behind.
    public struct Outcome: Sendable {
        /// The exit status.
        public var status: Int32
        /// Everything written to standard output.
        public var standardOutput: String
        /// Everything written to standard error.
        public var standardError: String
    }

    /// The path of `ondo` in the build folder of the running test bundle (`swift build --build-tests` builds it).
    public static var path: String {
        get throws {
            let bundle =
                (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
                ?? CommandLine.arguments[0]
            var folder = URL(fileURLWithPath: bundle).deletingLastPathComponent()
            // The bundle may be a folder (`….xctest/…`) on some platforms: walk up to the build products.
            for _ in 0..<3 {
                let candidate = folder.appendingPathComponent("ondo").path
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
                folder = folder.deletingLastPathComponent()
            }
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "ondo next to \(bundle)"])
        }
    }

    /// Runs `ondo arguments…` with `environment` added to a copy of this process's environment from which every
    /// `ONDO_*` variable was removed, in `directory`, feeding `input` to its standard input.
    public static func run(
        _ arguments: [String], environment: [String: String] = [:], input: String? = nil, directory: String = "/"
    ) async throws -> Outcome {
        let executable = try path
        return try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(
                    with: Result {
                        try runBlocking(
                            executable, arguments, environment: environment, input: input, directory: directory)
                    })
            }.start()
        }
    }

    private static func runBlocking(
        _ executable: String, _ arguments: [String], environment: [String: String], input: String?, directory: String
    ) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var merged = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("ONDO_") }
        merged.merge(environment) { $1 }
        process.environment = merged
        let output = Pipe()
        let errors = Pipe()
        let stdin = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = stdin
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try stdin.fileHandleForWriting.close()
        // Read both pipes concurrently so neither fills up and blocks the child.
        let errorData = LockedBox(Data())
        let reader = Thread { errorData.mutate { $0 = errors.fileHandleForReading.readDataToEndOfFile() } }
        reader.start()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !reader.isFinished { Thread.sleep(forTimeInterval: 0.005) }
        return Outcome(
            status: process.terminationStatus, standardOutput: String(decoding: outputData, as: UTF8.self),
            standardError: String(decoding: errorData.mutate { $0 }, as: UTF8.self))
    }
}
