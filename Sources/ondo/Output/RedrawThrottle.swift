import Foundation
import Synchronization

/// How often a progress line on stderr may be redrawn: every `terminal` on a terminal, every `log` when stderr
/// is a file or pipe (a log should not fill with progress lines). Thread-safe.
final class RedrawThrottle: Sendable {
    private let lastShown = Mutex<ContinuousClock.Instant?>(nil)
    private let interval: Duration

    init(terminal: Duration, log: Duration = .seconds(5)) {
        interval = isatty(STDERR_FILENO) != 0 ? terminal : log
    }

    /// True when a redraw is due now (always when `force`, for example for the last line); it then counts as shown.
    func isDue(force: Bool = false) -> Bool {
        let now = ContinuousClock.now
        return lastShown.withLock { last in
            guard force || last.map({ now - $0 >= interval }) ?? true else { return false }
            last = now
            return true
        }
    }
}
