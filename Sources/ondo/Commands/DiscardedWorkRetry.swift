import ArgumentParser
import CRMStore

/// What `ondo reviews retry` and `ondo states retry` share: either every discarded row of a work queue or the
/// given ids, put back in the queue, and a report of what was re-queued and which ids were not discarded.
struct DiscardedWorkRetry {
    /// The queue whose discarded rows are re-queued.
    var queue: WorkQueue.Table
    /// One row in the command's messages ("review").
    var singular: String
    /// Several rows ("reviews").
    var plural: String

    /// Refuses both or neither of `--discarded` and `--id`.
    func validate(everyDiscarded: Bool, ids: [Int64]) throws {
        if everyDiscarded == !ids.isEmpty {
            throw ValidationError("give either --discarded (all discarded \(plural)) or one or more --id")
        }
    }

    /// Re-queues, prints how many, and warns on standard error about given ids that were not discarded (unknown,
    /// or still in the queue, or completed): a typo should not pass for a retry.
    func run(_ common: CommonOptions, command: String, everyDiscarded: Bool, ids: [Int64]) async throws {
        try await reportingFailures(command) {
            let requeued = try await common.withOperations(label: "ondo.\(command.prefix { $0 != " " })") {
                try await $0.retryDiscarded(queue, ids: everyDiscarded ? nil : ids)
            }
            print(
                "re-queued \(NumberText.grouped(requeued.count)) discarded \(requeued.count == 1 ? singular : plural)")
            var seen = Set(requeued)
            var missed: [Int64] = []
            for id in ids where seen.insert(id).inserted { missed.append(id) }
            if !missed.isEmpty {
                StandardError.write(
                    "\(missed.count) of the given ids \(missed.count == 1 ? "was" : "were") not discarded "
                        + "(nothing to retry): \(missed.map(String.init).joined(separator: ", "))")
            }
        }
    }
}
