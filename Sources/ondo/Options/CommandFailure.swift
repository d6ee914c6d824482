import ArgumentParser
import Foundation

/// Runs a command's work; any error becomes one sentence on standard error and exit status 1 (no stack dump).
func reportingFailures<Result>(_ command: String, _ body: () throws -> Result) throws -> Result {
    do {
        return try body()
    } catch let error as ExitCode {
        throw error
    } catch let error as ValidationError {
        throw error
    } catch {
        FileHandle.standardError.write(Data("ondo \(command): \(error)\n".utf8))
        throw ExitCode.failure
    }
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

/// The async form of ``reportingFailures(_:_:)``.
func reportingFailures<Result>(_ command: String, _ body: () async throws -> Result) async throws -> Result {
    do {
        return try await body()
    } catch let error as ExitCode {
        throw error
    } catch let error as ValidationError {
        throw error
    } catch {
        FileHandle.standardError.write(Data("ondo \(command): \(error)\n".utf8))
        throw ExitCode.failure
    }
}

/// A command's own failure, as the sentence the user sees.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
