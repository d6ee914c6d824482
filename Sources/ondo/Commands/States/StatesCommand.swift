import ArgumentParser

/// `ondo states`: customer states.
struct StatesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "states",
        abstract: "Customer states: recompute them now.",
        subcommands: [StatesRecomputeCommand.self])
}

/// `ondo states recompute`.
struct StatesRecomputeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recompute",
        abstract: "Recompute customer states now, with a progress bar.",
        discussion: """
            Without --all: customers never assessed and those whose scheduled re-check is due. With --all: every \
            customer of the shop (after changing the state rules in the configuration, for example). Transitions \
            are recorded in the history with the cause "recompute".
            Example: ondo states recompute --all
            """)

    @OptionGroup var common: CommonOptions

    @Flag(name: .long, help: "Every customer, not only those due.")
    var all = false

    func run() async throws {
        try await reportingFailures("states recompute") {
            let count = try await common.withOperations(label: "ondo.states") { operations in
                defer { StandardError.endLine() }
                let progress = ProgressLine(unit: "customers")
                return try await operations.recomputeStates(all: all) { progress.show($0) }
            }
            print("recomputed \(count) customer state\(count == 1 ? "" : "s")")
        }
    }
}
