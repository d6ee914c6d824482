/// `ondo roles add-login NAME --password x` is what many tools accept, but a password on the command line can be read
/// by every user of the machine (`ps`) and stays in shell history, so `add-login` has no such option. ArgumentParser
/// answered "Unknown option '--password'. Did you mean '--no-password'?" (or, without `--role`, only that `--role` is
/// missing): this says that `--password` is not accepted and how to give the password, and never repeats the value.
enum PasswordOptionRefusal {
    /// The message that replaces ArgumentParser's parse error `message` when `arguments` are `roles add-login …` with a
    /// `--password` option before any `--`: the refusal, then ArgumentParser's usage lines. Nil for anything else.
    static func message(forParseError message: String, arguments: [String]) -> String? {
        guard arguments.starts(with: ["roles", "add-login"]) else { return nil }
        let options = arguments.dropFirst(2).prefix { $0 != "--" }
        guard options.contains(where: { $0 == "--password" || $0.hasPrefix("--password=") }) else { return nil }
        let refusal = """
            Error: --password is not accepted: a password on the command line can be read by other users (ps) and \
            stays in shell history. Give it on standard input with --password-stdin \
            (printf '%s' "$PASSWORD" | ondo roles add-login NAME --role shop --password-stdin), from a file with \
            --password-file FILE, or set none with --no-password.
            """
        // ArgumentParser's own error line may repeat the password ("Unexpected argument 'x'"): only its usage stays.
        let lines = message.split(separator: "\n", omittingEmptySubsequences: false)
        let usage = lines.drop { !$0.hasPrefix("Usage:") }.joined(separator: "\n")
        return usage.isEmpty ? refusal : refusal + "\n" + usage
    }
}
