import Foundation
import OndoServer

/// Shows an operator command's progress on stderr: a bar, counts, rate and time left. Redrawn at most ten
/// times a second on a terminal; when stderr is a file or pipe, a line every five seconds and the last one.
final class ProgressLine: Sendable {
    private let unit: String
    private let throttle = RedrawThrottle(terminal: .milliseconds(100))

    init(unit: String) {
        self.unit = unit
    }

    func show(_ progress: OperatorProgress) {
        let finished = progress.total > 0 && progress.done >= progress.total
        if throttle.isDue(force: finished) { StandardError.overwrite(Self.render(progress, unit: unit)) }
    }

    static func render(_ progress: OperatorProgress, unit: String) -> String {
        let rate = progress.elapsedSeconds > 0 ? Double(progress.done) / progress.elapsedSeconds : 0
        var line = "\(progress.phase) "
        if progress.total > 0 {
            let fraction = min(Double(progress.done) / Double(progress.total), 1)
            let filled = Int(fraction * 24)
            line += "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: 24 - filled) + "] "
            line += "\(progress.done)/\(progress.total) \(unit)"
            if rate > 0 && progress.done < progress.total {
                let seconds = Int((Double(progress.total - progress.done) / rate).rounded())
                line += String(format: "  ETA %d:%02d", seconds / 60, seconds % 60)
            }
        } else {
            line += "\(progress.done) \(unit)"
        }
        return line + "  \(Int(rate.rounded()))/s"
    }
}
