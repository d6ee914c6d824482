import ArgumentParser

/// `ondo states`: customer states.
struct StatesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "states",
        abstract: "Customer states: recompute them now, retry discarded recomputes.",
        subcommands: [StatesRecomputeCommand.self, StatesRetryCommand.self])
}

/// `ondo states recompute`.
struct StatesRecomputeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recompute",
        abstract: "Recompute customer states now, with a progress bar.",
        discussion: """
            Without --all: customers never assessed and those whose scheduled re-check is due. With --all: every \
            customer of the shop (after changing the state rules in the configuration, for example). Transitions \
            are recorded in the history with the cause "recompute". Customer work queued for `ondo serve` (an \
            order, a sign-up) that a recompute covered is completed with it, except work a server is processing \
            and work queued after the customer's data was read. A database that fails for a while (a restart, \
            a failover, a statement timeout) is waited out, for up to 120 s of failures in a row.
            Example: ondo states recompute --all
            """)

    @OptionGroup var common: CommonOptions

    @Flag(name: .long, help: "Every customer, not only those due.")
    var all = false

    func run() async throws {
        try await reportingFailures("states recompute") {
            let report = try await common.withOperations(label: "ondo.states") { operations in
                defer { StandardError.endLine() }
                let progress = ProgressLine(unit: "customers")
                return try await operations.recomputeStates(all: all) { progress.show($0) }
            }
            let count = report.recomputed
            var summary = "recomputed \(NumberText.grouped(count)) customer state\(count == 1 ? "" : "s")"
            let queued = report.completedQueuedWork
            if queued > 0 {
                // The customer work (orders, sign-ups) waiting for `ondo serve` that these recomputes made unnecessary.
                summary +=
                    "; completed \(NumberText.grouped(queued)) queued customer recompute\(queued == 1 ? "" : "s")"
            }
            print(summary)
            guard !report.failed.isEmpty else { return }
            for failure in report.failed.prefix(20) {
                StandardError.write("customer \(failure.customerId): \(failure.error)")
            }
            if report.failed.count > 20 {
                StandardError.write("… and \(NumberText.grouped(report.failed.count - 20)) more")
            }
            let one = report.failed.count == 1
            throw CommandError(
                "\(NumberText.grouped(report.failed.count)) customer\(one ? "" : "s") could not be recomputed (listed above); "
                    + (one ? "its state is" : "their states are") + " unchanged")
        }
    }
}
