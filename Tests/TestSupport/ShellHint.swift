import Foundation

/// The command a message names between backticks (`` `ondo migrate --embedded` ``), split into arguments as a POSIX
/// shell would split it: a test runs the hint itself, to show that it is the command that works.
public enum ShellHint {
    /// The arguments after `ondo` of the first backticked `ondo …` command in `text`; nil when there is none.
    public static func ondoArguments(in text: String) throws -> [String]? {
        guard let start = text.range(of: "`ondo "),
            let end = text[start.upperBound...].firstIndex(of: "`")
        else { return nil }
        return try words(String(text[start.upperBound..<end]))
    }

    /// `command` split by /bin/sh (quotes removed), one argument per word.
    public static func words(_ command: String) throws -> [String] {
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/sh")
        // Each word ended by NUL, so that an empty word survives.
        shell.arguments = ["-c", "printf '%s\\0' " + command]
        let output = Pipe()
        shell.standardOutput = output
        try shell.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        shell.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: "\0", omittingEmptySubsequences: false)
            .dropLast().map(String.init)
    }
}
