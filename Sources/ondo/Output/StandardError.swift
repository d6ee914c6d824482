import Foundation

/// Progress and notes go to stderr, so that stdout carries only results.
enum StandardError {
    /// Writes a line.
    static func write(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// Rewrites the current terminal line (for progress bars); plain lines when not a terminal.
    static func overwrite(_ line: String) {
        if isatty(STDERR_FILENO) != 0 {
            FileHandle.standardError.write(Data(("\r\u{1B}[2K" + line).utf8))
        } else {
            write(line)
        }
    }

    /// Ends an overwritten line.
    static func endLine() {
        if isatty(STDERR_FILENO) != 0 { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
