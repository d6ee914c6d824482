import ArgumentParser
import Foundation
import OndoServer

/// The `ondo` command: the CLI and the server in one binary.
@main
struct Ondo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ondo",
        abstract: """
            Ondo (온도): review sentiment and customer states for an online shop on PostgreSQL (promotion \
            campaigns are not built yet).
            """,
        subcommands: [
            MigrateCommand.self,
            RolesCommand.self,
            SentimentCommand.self,
            ServeCommand.self,
            CustomerCommand.self,
            ReviewsCommand.self,
            StatesCommand.self,
            GenerateCommand.self,
            DemoCommand.self,
        ]
    )

    /// ArgumentParser's `main`, with a hint when an argument such as `-5` was read as an option
    /// (``NegativeNumberHint``), and a refusal of `--password` that says how to give a password
    /// (``PasswordOptionRefusal``), and a usage error found while a subcommand ran shown with that subcommand's usage
    /// (``RunUsageError``).
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        var command: any ParsableCommand
        do {
            command = try await asyncParseAsRoot(arguments)
        } catch {
            let message = fullMessage(for: error)
            if let refusal = PasswordOptionRefusal.message(forParseError: message, arguments: arguments) {
                StandardError.write(refusal)
                Foundation.exit(exitCode(for: error).rawValue)
            }
            if let hint = NegativeNumberHint.hint(forParseError: message, arguments: arguments) {
                StandardError.write(message)
                StandardError.write("ondo: \(hint)")
                Foundation.exit(exitCode(for: error).rawValue)
            }
            exit(withError: error)
        }
        do {
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as ValidationError {
            // What the command printed first goes first (see reportingFailures); nil: every stream.
            fflush(nil)
            StandardError.write(RunUsageError.message(for: error, command: type(of: command), root: Ondo.self))
            Foundation.exit(ExitCode.validationFailure.rawValue)
        } catch {
            ServeSignals.parkIfExitingOnASignal()  // the signal's exit status, not this error's, ends the process
            exit(withError: error)
        }
    }
}
