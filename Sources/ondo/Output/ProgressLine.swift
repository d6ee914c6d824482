import Foundation
import OndoServer
import Synchronization

/// Shows an operator command's progress on stderr: a bar, counts, rate and time left. Redrawn at most ten
/// times a second on a terminal; when stderr is a file or pipe, a line every five seconds and the last one.
final class ProgressLine: Sendable {
    private let unit: String
    private let throttle = RedrawThrottle(terminal: .milliseconds(100))
    /// The phase and counts of the line drawn last.
    private let lastDrawn = Mutex<Counts?>(nil)

    private struct Counts: Equatable {
        var phase: String
        var done: Int
        var total: Int
    }

    init(unit: String) {
        self.unit = unit
    }

    func show(_ progress: OperatorProgress) {
        let counts = Counts(phase: progress.phase, done: progress.done, total: progress.total)
        let finished = progress.total > 0 && progress.done >= progress.total
        let draw = lastDrawn.withLock { last in
            // A finished count reported again is the same last line: `reviews rescore` reports its estimate after
            // its last batch and again the count that confirms it, and each forced a line.
            if finished && last == counts { return false }
            guard throttle.isDue(force: finished) else { return false }
            last = counts
            return true
        }
        if draw { StandardError.overwrite(Self.render(progress, unit: unit)) }
    }

    static func render(_ progress: OperatorProgress, unit: String) -> String {
        let rate = progress.elapsedSeconds > 0 ? Double(progress.done) / progress.elapsedSeconds : 0
        var line = "\(progress.phase) "
        if progress.total > 0 {
            let fraction = min(Double(progress.done) / Double(progress.total), 1)
            let filled = Int(fraction * 24)
            line += "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: 24 - filled) + "] "
            line += "\(NumberText.grouped(progress.done))/\(NumberText.grouped(progress.total)) \(unit)"
            if rate > 0 && progress.done < progress.total {
                let seconds = Int((Double(progress.total - progress.done) / rate).rounded())
                line += String(format: "  ETA %d:%02d", seconds / 60, seconds % 60)
            }
        } else {
            line += "\(NumberText.grouped(progress.done)) \(unit)"
        }
        return line + "  \(NumberText.grouped(rate))/s"
    }
}
