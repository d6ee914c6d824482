import Foundation
import OndoServer
import ShopSimulator
import Synchronization

/// The bulk write's progress bar: one line per table (kept when the table is done), rows per second, time left.
final class TableProgress: Sendable {
    private let current = Mutex<(table: ShopTable, line: ProgressLine)?>(nil)

    func show(_ progress: ShopWriteProgress) {
        let line = current.withLock { current -> ProgressLine in
            if let current, current.table == progress.table { return current.line }
            if current != nil { StandardError.endLine() }
            let line = ProgressLine(unit: "rows")
            current = (progress.table, line)
            return line
        }
        line.show(
            OperatorProgress(
                phase: progress.table.name.padding(toLength: 11, withPad: " ", startingAt: 0), done: progress.written,
                total: progress.total, elapsedSeconds: progress.elapsedSeconds))
    }
}

/// Live mode's running count, at most once a second on a terminal (every five seconds in a log), from the first
/// second on: the rate over the first event alone read "1 events … 181.0/s" at 50 asked.
final class LiveProgressLine: Sendable {
    private let throttle = RedrawThrottle(terminal: .seconds(1))
    /// The shortest time a rate is shown over.
    static let firstShownSeconds = 1.0

    func show(_ figures: LiveWriteStatistics) {
        guard figures.elapsedSeconds >= Self.firstShownSeconds, throttle.isDue() else { return }
        StandardError.overwrite(
            "live \(NumberText.clock(figures.elapsedSeconds))  \(NumberText.grouped(figures.events)) events  "
                + "(\(LiveCounts.text(figures)))  "
                + String(format: "%.1f/s", figures.eventsPerSecond))
    }
}

/// The bulk write's figures, table by table.
enum GenerateReportText {
    static func render(_ report: ShopWriteReport) -> String {
        var table = TextTable("table", "rows", "first id", "seconds", "rows/s")
        for figures in report.tables {
            table.add([
                "shop.\(figures.table.name)", NumberText.grouped(figures.rows),
                figures.rows > 0 ? NumberText.grouped(Int(report.after[figures.table]) + 1) : "-",
                String(format: "%.1f", figures.seconds), NumberText.grouped(figures.rowsPerSecond),
            ])
        }
        return "wrote \(NumberText.grouped(report.totalRows)) rows in \(NumberText.duration(report.totalSeconds)) "
            + "(\(NumberText.grouped(report.rowsPerSecond)) rows/s, one transaction)\n" + table.render()
    }
}

/// Live mode's counts by kind, grouped as every count of `ondo` is: "1,200 sign-ups, 3,400 orders, 560 reviews".
enum LiveCounts {
    static func text(_ figures: LiveWriteStatistics) -> String {
        "\(NumberText.grouped(figures.customers)) sign-ups, \(NumberText.grouped(figures.orders)) orders, "
            + "\(NumberText.grouped(figures.reviews)) reviews"
    }
}
