import Foundation
import Postgres
import TestSupport
import Testing

/// Bad input on the command line is a usage error: exit status 64, "Error: …" naming the option or argument and what
/// it accepts, and the usage of the subcommand that was run (not `ondo <subcommand>`), before any database is reached.
@Suite struct UsageErrorTests {
    /// A database that is never reached: every refusal here comes before connecting.
    private let unreachable = ["ONDO_DATABASE_URL": "host=/nonexistent-ondo-socket-dir dbname=ondo"]

    /// A refusal checked while the command ran was shown with `ondo`'s usage line ("Usage: ondo <subcommand>").
    @Test func aBadOptionValueIsShownWithTheSubcommandsUsage() async throws {
        let data = try TestFiles.path("usage-errors", suffix: ".tsv")
        try "5\t좋아요 최고예요\n1\t별로예요 실망\n".write(toFile: data, atomically: true, encoding: .utf8)
        let kept = try TestFiles.path("usage-errors-kept", suffix: ".tsv")
        let heldOut = try TestFiles.path("usage-errors-held-out", suffix: ".tsv")
        let split = ["sentiment", "split", "--data", data, "--kept-out", kept, "--held-out-out", heldOut]
        let cases: [(arguments: [String], error: String, usage: String)] = [
            (
                ["serve", "--log-level", "loud"],
                "Error: The value 'loud' is invalid for '--log-level <log-level>'. Please provide one of the following:\n"
                    + "  - trace\n  - debug\n  - info\n  - notice\n  - warning\n  - error\n  - critical\n",
                "Usage: ondo serve "
            ),
            (
                ["migrate", "--log-level", "verbose"],
                "Error: The value 'verbose' is invalid for '--log-level <log-level>'. Please provide one of the following:\n"
                    + "  - trace\n  - debug\n  - info\n  - notice\n  - warning\n  - error\n  - critical\n",
                "Usage: ondo migrate "
            ),
            // An empty --model (`--model "$UNSET"`) named the working folder: "cannot access the model file /: …".
            (
                ["sentiment", "predict", "--model", "", "좋아요"],
                "Error: --model is empty: name a model file",
                "Usage: ondo sentiment predict "
            ),
            (
                ["sentiment", "info", "--model", ""], "Error: --model is empty: name a model file",
                "Usage: ondo sentiment info "
            ),
            // An empty --config or password file (`--config "$UNSET"`) failed at run time with exit status 1:
            // "cannot read the configuration file  (named by --config): it does not exist".
            (
                ["reviews", "status", "--config", ""],
                "Error: --config is empty: name a configuration file, or leave it out to use $ONDO_CONFIG or "
                    + "config/ondo.json",
                "Usage: ondo reviews status "
            ),
            (
                ["migrate", "--database-password-file", ""],
                "Error: --database-password-file is empty: name the file that holds the password",
                "Usage: ondo migrate "
            ),
            (
                ["roles", "add-login", "someone", "--role", "report", "--password-file", ""],
                "Error: --password-file is empty: name the file that holds the password",
                "Usage: ondo roles add-login "
            ),
            (
                split + ["--hold-out", "1.5"],
                "Error: --hold-out must be a share between 0 and 1, e.g. 0.5 (it is 1.5)",
                "Usage: ondo sentiment split "
            ),
        ]
        // A `--since` that parsed but that PostgreSQL cannot be given ran the command (an embedded cluster started,
        // the model loaded) and failed with exit status 1 and "PostgreSQL encoding: dates before year 1 or after year
        // 9999 are not supported". 0001-01-01 is one: Foundation reads that day in the Julian calendar.
        let sinceError =
            "Error: --since must be a date like 2026-11-01 or 2026-11-01T09:00:00Z, after the year 1 and "
            + "before the year 10000 (it is "
        let outOfRange: [(arguments: [String], error: String, usage: String)] = [
            (
                ["reviews", "rescore", "--since", "10000-01-01"], sinceError + "10000-01-01)",
                "Usage: ondo reviews rescore "
            ),
            (
                ["reviews", "rescore", "--since", "0001-01-01"], sinceError + "0001-01-01)",
                "Usage: ondo reviews rescore "
            ),
            (
                ["reviews", "rescore", "--since", "9999-12-31T23:00:00-05:00"],
                sinceError + "9999-12-31T23:00:00-05:00)",
                "Usage: ondo reviews rescore "
            ),
            (
                ["sentiment", "train", "--from-database", "--since", "10000-01-01", "--out", kept],
                sinceError + "10000-01-01)", "Usage: ondo sentiment train "
            ),
        ]
        for (arguments, error, usage) in cases + outOfRange {
            let outcome = try await OndoExecutable.run(arguments, environment: unreachable)
            #expect(outcome.status == 64, "\(arguments): exit \(outcome.status): \(outcome.standardError)")
            #expect(outcome.standardError.contains(error), "\(arguments): \(outcome.standardError)")
            #expect(outcome.standardError.contains(usage), "\(arguments): \(outcome.standardError)")
            #expect(!outcome.standardError.contains("Usage: ondo <subcommand>"), "\(arguments)")
        }
        #expect(!FileManager.default.fileExists(atPath: kept) && !FileManager.default.fileExists(atPath: heldOut))
    }

    /// Usage errors that are found only once the command runs: `--embedded-dir` without `--embedded` (every database
    /// command but `demo` has it, so no shared `validate()` can refuse it) was "ondo migrate: --embedded-dir needs
    /// --embedded", exit status 1, without usage; `sentiment split` given one file twice said so with exit status 1.
    /// Both are usage errors now: exit status 64, "Error: …", and the same usage lines as an error from the
    /// subcommand's `validate()` (ArgumentParser alone would show `ondo`'s, for a `ValidationError` from `run()`).
    @Test func usageErrorsFoundWhileRunningShowTheSubcommandsUsage() async throws {
        let folder = try TestFiles.path("usage-errors-embedded-dir")
        let data = try TestFiles.path("usage-errors-split", suffix: ".tsv")
        try "5\t좋아요 최고예요\n1\t별로예요 실망\n".write(toFile: data, atomically: true, encoding: .utf8)
        let other = try TestFiles.path("usage-errors-split-part", suffix: ".tsv")
        let split = ["sentiment", "split", "--data", data]
        // Each case, and arguments of the same subcommand that its validate() refuses: the usage lines must match.
        let cases: [(arguments: [String], error: String, refusedByValidate: [String])] = [
            (
                ["migrate", "--embedded-dir", folder], "Error: --embedded-dir needs --embedded",
                ["migrate", "--status", "--dry-run"]
            ),
            (
                ["states", "recompute", "--embedded-dir", folder], "Error: --embedded-dir needs --embedded",
                ["states", "recompute", "--log-level", "loud"]
            ),
            (
                ["roles", "harden", "--dry-run", "--embedded-dir", folder], "Error: --embedded-dir needs --embedded",
                ["roles", "harden", "--log-level", "loud"]
            ),
            (
                split + ["--kept-out", other, "--held-out-out", other],
                "Error: --kept-out and --held-out-out name the same file",
                split + ["--kept-out", other, "--held-out-out", other, "--hold-out", "2"]
            ),
            (
                split + ["--kept-out", data, "--held-out-out", other], "Error: --kept-out \(data) is the --data file",
                split + ["--kept-out", data, "--held-out-out", other, "--hold-out", "2"]
            ),
        ]
        for (arguments, error, refusedByValidate) in cases {
            let outcome = try await OndoExecutable.run(arguments, environment: unreachable)
            let reference = try await OndoExecutable.run(refusedByValidate, environment: unreachable)
            #expect(outcome.status == 64, "\(arguments): exit \(outcome.status): \(outcome.standardError)")
            #expect(outcome.standardError.hasPrefix(error), "\(arguments): \(outcome.standardError)")
            #expect(reference.status == 64, "\(refusedByValidate): \(reference.standardError)")
            let usage = { (text: String) in text.split(separator: "\n").drop { !$0.hasPrefix("Usage: ") } }
            #expect(
                Array(usage(outcome.standardError)) == Array(usage(reference.standardError)),
                "\(arguments): \(outcome.standardError)\nagainst \(reference.standardError)")
            #expect(usage(outcome.standardError).count >= 2, "\(arguments): \(outcome.standardError)")
            #expect(!outcome.standardError.contains("Usage: ondo <subcommand>"), "\(arguments)")
        }
        #expect(!FileManager.default.fileExists(atPath: folder) && !FileManager.default.fileExists(atPath: other))
        #expect(try String(contentsOfFile: data, encoding: .utf8) == "5\t좋아요 최고예요\n1\t별로예요 실망\n")
    }

    /// `add-login --password-stdin --embedded-dir X` without `--embedded` read the password first and reported the
    /// usage error only then: run by hand it sat waiting for a line on the terminal. Usage errors come before
    /// anything is read, so with standard input left open (a pipe nobody writes to) it exits 64 at once.
    @Test func addLoginRefusesItsUsageErrorsBeforeReadingStandardInput() async throws {
        let folder = try TestFiles.path("usage-errors-add-login-embedded-dir")
        let arguments = [
            "roles", "add-login", "shop_backend", "--role", "shop", "--password-stdin", "--embedded-dir", folder,
        ]
        let started = Date()
        let process = try OndoProcess.start(arguments, environment: unreachable, standardInputOpen: true)
        // A bound for a slow machine, not a measurement: the process needs no input to fail (0.14 s alone, 2.1 s in
        // the full suite on two cores).
        let outcome = try await process.waitForExit(seconds: 60)
        let seconds = Date().timeIntervalSince(started)
        print("add-login with a usage error and stdin open: exit \(outcome.status) after \(seconds) s")
        #expect(outcome.status == 64, "exit \(outcome.status): \(outcome.standardError)")
        #expect(
            outcome.standardError.hasPrefix("Error: --embedded-dir needs --embedded"), "\(outcome.standardError)")
        #expect(outcome.standardError.contains("Usage: ondo roles add-login "), "\(outcome.standardError)")
        #expect(!FileManager.default.fileExists(atPath: folder))
    }

    /// `--password` is not an option of `add-login` (a password on the command line is visible in `ps`). It said
    /// "Unknown option '--password'. Did you mean '--no-password'?", or only that `--role` was missing; now it says
    /// that `--password` is not accepted and how to give a password, and never repeats the value.
    @Test func addLoginRefusesPasswordAndSaysHowToGiveOne() async throws {
        let cases = [
            ["roles", "add-login", "shop_backend", "--password", "hunter2"],
            ["roles", "add-login", "shop_backend", "--role", "shop", "--password", "hunter2"],
            ["roles", "add-login", "shop_backend", "--role", "shop", "--no-password", "--password=hunter2"],
            ["roles", "add-login", "shop_backend", "--password-stdin", "--role", "shop", "--password"],
        ]
        for arguments in cases {
            let outcome = try await OndoExecutable.run(arguments, environment: unreachable, input: "")
            #expect(outcome.status == 64, "\(arguments): exit \(outcome.status): \(outcome.standardError)")
            let text = outcome.standardError
            #expect(text.hasPrefix("Error: --password is not accepted"), "\(arguments): \(text)")
            #expect(text.contains("--password-stdin") && text.contains("--password-file FILE"), "\(arguments): \(text)")
            #expect(text.contains("Usage: ondo roles add-login "), "\(arguments): \(text)")
            #expect(!text.contains("hunter2") && !text.contains("Did you mean"), "\(arguments): \(text)")
        }
        // A login actually named "--password", after `--`, is not an option.
        let named = try await OndoExecutable.run(
            ["roles", "add-login", "--role", "app", "--no-password", "--", "--password"], environment: unreachable)
        #expect(!named.standardError.contains("--password is not accepted"), "\(named.standardError)")
    }

    /// Login names `add-login` does not accept were found only once connected, as "PostgreSQL misuse: …" with exit
    /// status 1. They are usage errors, refused before connecting, and no role is created.
    @Test func addLoginRefusesABadNameAsAUsageError() async throws {
        let db = try await TestPostgres.shared.database("CLIRoles")
        let suffix = UInt32.random(in: 0...UInt32.max)
        let cases: [(name: String, error: String)] = [
            ("pg_monitor_\(suffix)", "Error: the login name pg_monitor_\(suffix) starts with pg_, which is reserved"),
            ("Ondo_app_\(suffix)", "Error: the login name Ondo_app_\(suffix) starts with ondo_, which is reserved"),
            (String(repeating: "x", count: 64), "Error: a login name must have 1 to 63 bytes (64 given)"),
            ("", "Error: a login name must have 1 to 63 bytes (0 given)"),
        ]
        for (name, error) in cases {
            for environment in [unreachable, db.environment(as: .admin)] {
                let outcome = try await OndoExecutable.run(
                    ["roles", "add-login", name, "--role", "app", "--no-password"], environment: environment)
                #expect(outcome.status == 64, "\(name): exit \(outcome.status): \(outcome.standardError)")
                #expect(outcome.standardError.hasPrefix(error), "\(name): \(outcome.standardError)")
                #expect(outcome.standardError.contains("Usage: ondo roles add-login "), "\(outcome.standardError)")
                #expect(!outcome.standardError.contains("PostgreSQL misuse"), "\(name): \(outcome.standardError)")
            }
            let created = try await db.withConnection { admin in
                try admin.queryValue(
                    Bool.self, "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = \(name))")
            }
            #expect(!created, "\(name) was created")
        }
    }
}
