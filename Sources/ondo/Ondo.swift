import ArgumentParser

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
}
