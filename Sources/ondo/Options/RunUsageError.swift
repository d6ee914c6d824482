import ArgumentParser

/// A usage error found once a subcommand runs (after `validate()`), shown as ArgumentParser shows one from
/// `validate()`: "Error: …", the subcommand's usage, and where its help is. ArgumentParser itself would show
/// `ondo`'s usage ("Usage: ondo <subcommand>") with it, because a command's `run()` is called after parsing,
/// when it no longer knows which subcommand ran.
enum RunUsageError {
    /// The text for `error` thrown by the `run()` of `command`, a subcommand of `root`.
    static func message(
        for error: ValidationError, command: any ParsableCommand.Type, root: any ParsableCommand.Type
    ) -> String {
        let usage = root.usageString(for: command).replacingOccurrences(of: "\n", with: "\n       ")
        let names = ([root] + path(to: command, under: root)).map { $0._commandName }.joined(separator: " ")
        return "Error: \(error.message)\nUsage: \(usage)\n  See '\(names) --help' for more information."
    }

    /// The subcommands from below `parent` down to `command` (empty when `command` is not among them).
    private static func path(
        to command: any ParsableCommand.Type, under parent: any ParsableCommand.Type
    ) -> [any ParsableCommand.Type] {
        for child in parent.configuration.subcommands {
            if ObjectIdentifier(child) == ObjectIdentifier(command) { return [child] }
            let below = path(to: command, under: child)
            if !below.isEmpty { return [child] + below }
        }
        return []
    }
}
