import ArgumentParser

/// `ondo customer`: look customers up.
struct CustomerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "customer",
        abstract: "Look up customers: state, churn risk, reasons, reviews, orders and history.",
        subcommands: [CustomerShowCommand.self, CustomerListCommand.self])
}
