import Foundation

extension CommonOptions {
    /// `ondo <words>` with the options this command was given that choose its database (`--config`,
    /// `--database-url`, `--database-password-file`, `--embedded`, `--embedded-dir`), for a hint naming the command to
    /// run next: without them it would go to another database — `ondo migrate` after `ondo migrate --status
    /// --embedded` went to $ONDO_DATABASE_URL, or found none. `command` is written as given (a subcommand and
    /// options of plain words); `options` (such as a folder given to this command too) and the connection's values
    /// are quoted for a POSIX shell where needed.
    func followUp(_ command: String, options: [String] = []) -> String {
        (["ondo", command] + (options + connectionArguments()).map(Self.shellQuoted)).joined(separator: " ")
    }

    /// The options that chose this command's database, as given; `--embedded` too when `onEmbeddedCluster` although
    /// not given (`ondo demo` uses the cluster when no database is configured; other commands need the flag).
    func connectionArguments(onEmbeddedCluster: Bool = false) -> [String] {
        var arguments: [String] = []
        if let config { arguments += ["--config", config] }
        if let databaseURL { arguments += ["--database-url", databaseURL] }
        if let databasePasswordFile { arguments += ["--database-password-file", databasePasswordFile] }
        if embedded || onEmbeddedCluster { arguments.append("--embedded") }
        if let embeddedDir { arguments += ["--embedded-dir", embeddedDir] }
        return arguments
    }

    /// `text` as one shell word: bare when it holds only characters no shell treats specially, else in single quotes.
    static func shellQuoted(_ text: String) -> String {
        let plain =
            !text.isEmpty
            && text.unicodeScalars.allSatisfy { scalar in
                scalar.isASCII
                    && (("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
                        || ("0"..."9").contains(scalar) || "@%+=:,./_-".unicodeScalars.contains(scalar))
            }
        return plain ? text : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
