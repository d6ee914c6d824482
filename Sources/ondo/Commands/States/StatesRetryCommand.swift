import ArgumentParser

/// `ondo states retry`: the customer-work twin of `ondo reviews retry`.
struct StatesRetryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry",
        abstract: "Put discarded customer recomputes back in the queue with a fresh attempt count.",
        discussion: """
            A customer whose recompute (after an order, a signup or a moved review) failed on every attempt is \
            discarded; its state stays as it was until the scheduler's next re-check. Once its data is fixed, this \
            queues it again for the running ondo serve processes.
            Give --discarded (every discarded recompute) or one or more --id (those customers'); both, or neither, \
            is a usage error (exit status 64).
            Prints "re-queued N discarded customer recomputes". A given id that was not discarded (unknown, still \
            queued or completed) is left alone and named on standard error; the others are re-queued and the exit \
            status is 0.
            `ondo reviews status` counts the discarded recomputes (under customer work); the view \
            report.discarded_customer_work lists each with its error.
            Examples:
              ondo states retry --discarded
              ondo states retry --id 1042 --id 1043
            """)

    @OptionGroup var common: CommonOptions

    @Flag(name: .long, help: "Every discarded customer recompute.")
    var discarded = false

    @Option(
        name: .long, parsing: .unconditionalSingleValue,
        help: "The id of a customer whose recompute was discarded (repeatable).", transform: IdArgument.parse)
    var id: [Int64] = []

    private static let retry = DiscardedWorkRetry(
        queue: .customers, singular: "customer recompute", plural: "customer recomputes")

    func validate() throws {
        try Self.retry.validate(everyDiscarded: discarded, ids: id)
    }

    func run() async throws {
        try await Self.retry.run(common, command: "states retry", everyDiscarded: discarded, ids: id)
    }
}
