import EmbeddedPostgres
import Foundation

/// A long-running `ondo` process (for example `ondo serve`) that a test starts, signals and waits for.
///
/// ```swift
/// let server = try OndoProcess.start(["serve"], environment: db.environment(as: .app))
/// … // let it work
/// let outcome = try await server.stop()  // SIGTERM, then its exit
/// ```
public final class OndoProcess: Sendable {
    private let process: LockedBox<Process>
    private let outputPath: String
    private let errorPath: String
    /// The writing end of its standard input when it was kept open (``start(_:environment:directory:standardInputOpen:)``).
    private let input: LockedBox<FileHandle?>

    /// The process id.
    public let pid: Int32

    private init(process: Process, outputPath: String, errorPath: String, input: FileHandle?) {
        self.process = LockedBox(process)
        self.outputPath = outputPath
        self.errorPath = errorPath
        self.input = LockedBox(input)
        self.pid = process.processIdentifier
    }

    /// Starts `ondo arguments…` with `environment` added to this process's environment minus every `ONDO_*`
    /// variable. Standard output and error go to temporary files (read them with `output()`). Standard input is
    /// empty, or with `standardInputOpen` a pipe nobody writes to and that stays open until this object goes: a read
    /// from it waits.
    public static func start(
        _ arguments: [String], environment: [String: String] = [:], directory: String = "/",
        standardInputOpen: Bool = false
    ) throws -> OndoProcess {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try OndoExecutable.path)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var merged = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("ONDO_") }
        merged.merge(environment) { $1 }
        process.environment = merged
        // In TestFiles' folder: `deinit` does not run when Ctrl-C ends the test process.
        let base = try TestFiles.path("ondo-process")
        for path in [base + ".out", base + ".err"] {
            _ = FileManager.default.createFile(atPath: path, contents: nil)
        }
        let input = standardInputOpen ? Pipe() : nil
        process.standardInput = input ?? FileHandle.nullDevice
        process.standardOutput = FileHandle(forWritingAtPath: base + ".out")
        process.standardError = FileHandle(forWritingAtPath: base + ".err")
        try process.run()
        // `Process` gives the child a process group of its own: Ctrl-C in `make test` ends the test process but
        // not this `ondo`, which would then run on, orphaned. A watchdog kills it once the test process is gone.
        try? EmbeddedPostgres.signalWhenProcessExits(process.processIdentifier)
        try input?.fileHandleForReading.close()
        return OndoProcess(
            process: process, outputPath: base + ".out", errorPath: base + ".err", input: input?.fileHandleForWriting)
    }

    deinit {
        process.mutate { if $0.isRunning { kill($0.processIdentifier, SIGKILL) } }
        input.mutate { try? $0?.close() }
        unlink(outputPath)
        unlink(errorPath)
    }

    /// Sends `signal` (`SIGTERM`, `SIGKILL`, `SIGSTOP`, `SIGCONT`, …).
    public func signal(_ signal: Int32) {
        kill(pid, signal)
    }

    /// Writes `text` to its standard input (started with `standardInputOpen`), which stays open.
    public func writeToStandardInput(_ text: String) throws {
        guard let handle = input.mutate({ $0 }) else { return }
        try handle.write(contentsOf: Data(text.utf8))
    }

    /// Closes its standard input (started with `standardInputOpen`): a read from it then sees the end.
    public func closeStandardInput() throws {
        let handle = input.mutate { handle in
            defer { handle = nil }
            return handle
        }
        try handle?.close()
    }

    /// True until the process has exited.
    public var isRunning: Bool {
        process.mutate { $0.isRunning }
    }

    /// What it has written so far.
    public func output() -> (standardOutput: String, standardError: String) {
        (
            (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "",
            (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
        )
    }

    /// A normal stop: SIGTERM, then ``waitForExit(seconds:)``.
    @discardableResult
    public func stop(seconds: Double = 30) async throws -> OndoExecutable.Outcome {
        signal(SIGTERM)
        return try await waitForExit(seconds: seconds)
    }

    /// Waits (up to `seconds`) for the process to exit; throws if it is still running then.
    public func waitForExit(seconds: Double = 30) async throws -> OndoExecutable.Outcome {
        let deadline = Date().addingTimeInterval(seconds)
        while isRunning {
            guard Date() < deadline else {
                throw CocoaError(.executableLoad, userInfo: [NSLocalizedDescriptionKey: "ondo \(pid) did not exit"])
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        let (standardOutput, standardError) = output()
        return OndoExecutable.Outcome(
            status: process.mutate { $0.terminationStatus }, standardOutput: standardOutput,
            standardError: standardError)
    }
}
