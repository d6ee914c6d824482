import CRM
import CRMStore
import Foundation
import OndoDemo
import ShopSimulator
import Synchronization

/// Prints the demo for people: plain lines on stdout that read the same in a terminal and in a log (no cursor
/// movement), a live table that grows by a row every couple of seconds.
final class DemoPrinter: Sendable {
    private let options: DemoOptions
    /// Whether the demo runs on the embedded cluster, the only database `--reset` starts clean.
    private let embedded: Bool
    private let started = ContinuousClock.now
    private let liveHeaderShown = Mutex(false)

    init(options: DemoOptions, embedded: Bool) {
        self.options = options
        self.embedded = embedded
    }

    /// The title names no shop size: a shop an earlier run wrote is kept whatever --customers says, and which
    /// shop is used is known only in step 2, which says how many customers it has.
    func start() {
        emit(
            "ondo demo — reviews scored, customers' states kept current, and why (seed \(options.seed), "
                + "\(NumberText.duration(options.duration / .seconds(1))) of live traffic)")
    }

    func show(_ event: DemoEvent) {
        switch event {
        case .step(let number, let title):
            emit("\n[\(number)] \(title)")
        case .note(let text):
            emit("  " + text)
        case .shopWritten(let report):
            emit(
                "  wrote \(NumberText.grouped(report.rows(.customers))) customers, "
                    + "\(NumberText.grouped(report.rows(.products))) products, "
                    + "\(NumberText.grouped(report.rows(.orders))) orders "
                    + "(\(NumberText.grouped(report.rows(.orderItems))) items) and "
                    + "\(NumberText.grouped(report.rows(.reviews))) Korean reviews in "
                    + "\(NumberText.duration(report.totalSeconds)), as role ondo_shop (COPY, one transaction)")
            emit("  the shop's trigger queued every review for Ondo; the pipeline catches up in the next step")
        case .shopReused(let counts):
            emit(
                "  using the shop from an earlier run: \(NumberText.grouped(counts[.customers] ?? 0)) customers, "
                    + "\(NumberText.grouped(counts[.orders] ?? 0)) orders, \(NumberText.grouped(counts[.reviews] ?? 0)) "
                    + "reviews; --customers and --seed make a new shop only: here seed \(options.seed) drives only "
                    + "the live traffic"
                    + (embedded ? " (\(options.resetCommand) starts clean)" : ""))
        case .liveStarted(let model, let workers, let rate, let seconds):
            emit(
                "  pipeline: model \(model), \(workers) workers; the shop writes about \(NumberText.grouped(rate)) "
                    + "events a second (sign-ups, orders, reviews) for \(NumberText.duration(seconds))")
        case .live(let snapshot):
            showLive(snapshot)
        case .catchingUp(let backlog):
            emit("  the shop stopped; Ondo finishes the last \(NumberText.grouped(backlog)) reviews")
        case .summary(let summary):
            emit(DemoSummaryText.render(summary, options: options))
        }
    }

    func finish(cluster: OndoDemo.ClusterEnd) {
        let elapsed = started.duration(to: .now) / .seconds(1)
        let about: String
        switch cluster {
        case .none, .stopFailed: about = ""
        case .stopped:
            about = " The embedded cluster is stopped; its data stays for the next run (--reset starts clean)."
        case .leftRunning:
            about =
                " The embedded cluster keeps running: another ondo process uses it, and the last one to end stops it."
        }
        emit("\nfinished in \(NumberText.duration(elapsed))." + about)
    }

    private static let stateOrder: [CustomerState] = [.new, .active, .loyal, .atRisk, .churned]

    private func showLive(_ snapshot: DemoSnapshot) {
        let widths = [6, 12, 13, 7, 8] + Self.stateOrder.map { max($0.rawValue.count, 7) }
        func row(_ cells: [String]) -> String {
            "  "
                + zip(cells, widths).map { cell, width in
                    String(repeating: " ", count: max(0, width - cell.count)) + cell
                }
                .joined(separator: " ")
        }
        let needsHeader = liveHeaderShown.withLock { shown in
            defer { shown = true }
            return !shown
        }
        if needsHeader {
            emit(row(["time", "shop events", "reviews done", "per s", "backlog"] + Self.stateOrder.map(\.rawValue)))
        }
        emit(
            row(
                [
                    NumberText.clock(snapshot.elapsedSeconds), NumberText.grouped(snapshot.written.events),
                    NumberText.grouped(snapshot.reviewsProcessed), NumberText.grouped(snapshot.reviewsPerSecond),
                    NumberText.grouped(snapshot.backlog),
                ] + Self.stateOrder.map { NumberText.grouped(snapshot.states[$0] ?? 0) }))
        for transition in snapshot.transitions {
            emit("         " + transition.explanation)
        }
    }

    /// Writes at once (not through stdio's buffer), so a log shows each line as it happens.
    private func emit(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }
}
