import ArgumentParser
import Foundation
import OndoServer

/// Runs a command's work; any error becomes one sentence on standard error and exit status 1 (no stack dump).
func reportingFailures<Result>(_ command: String, _ body: () throws -> Result) throws -> Result {
    do {
        return try body()
    } catch {
        throw userFacing(error, command: command)
    }
}

/// The async form of ``reportingFailures(_:_:)``.
func reportingFailures<Result>(_ command: String, _ body: () async throws -> Result) async throws -> Result {
    do {
        return try await body()
    } catch {
        throw userFacing(error, command: command)
    }
}

/// Argument errors and exit codes pass through to ArgumentParser; anything else is printed as one sentence
/// and becomes exit status 1.
private func userFacing(_ error: any Error, command: String) -> any Error {
    // A second Ctrl-C cancels the statements in hand and exits with 130: the cancelled statement's error is its echo.
    ServeSignals.parkIfExitingOnASignal()
    if error is ExitCode || error is ValidationError { return error }
    // What the command printed before it failed goes first: into a pipe or a file (`2>&1 | tee log`) standard
    // output is block-buffered and would otherwise come out after the error, at exit. (nil: every stream.)
    fflush(nil)
    FileHandle.standardError.write(Data("ondo \(command): \(error)\n".utf8))
    return ExitCode.failure
}

/// A problem found while running a command, reported as its message.
struct CommandError: Error, CustomStringConvertible {
    /// The sentence for the user.
    var description: String

    init(_ description: String) {
        self.description = description
    }
}

/// Prints a line to standard output.
func say(_ line: String) {
    print(line)
}
