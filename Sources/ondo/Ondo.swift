import ArgumentParser

/// The `ondo` command: the CLI and the server in one binary.
@main
struct Ondo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ondo",
        abstract: "Ondo (온도): review sentiment, customer state and promotions for an online shop on PostgreSQL.",
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
}
