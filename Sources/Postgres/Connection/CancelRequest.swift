import CLibPQ
import Dispatch
import Foundation

/// libpq's cancel object (`PGcancel`) and the requests sent with it. Each request runs on a thread of its own, which
/// keeps the object alive until libpq returns: closing the connection drops the handle's reference, and the object
/// is freed when the last request ends, never under a request that still uses it.
///
/// libpq 15's `PQcancel` has no timeout: against a server whose packets are dropped, or one that accepts the
/// request and never answers, it waits as long as the kernel lets a connection wait (minutes). So a caller waits
/// at most a time limit, and a request still running then is abandoned on its thread.
final class CancelRequest: @unchecked Sendable {
    // Immutable after creation; PQcancel only reads it and may run on several threads at once.
    private let cancel: OpaquePointer
    private let inFlight = Locked(0)

    init?(connection: OpaquePointer) {
        guard let cancel = PQgetCancel(connection) else { return nil }
        self.cancel = cancel
    }

    deinit {
        PQfreeCancel(cancel)
    }

    /// Whether a request is still running: one abandoned by ``send(waitingAtMost:)`` may yet reach the server.
    var isInFlight: Bool {
        inFlight.withLock { $0 > 0 }
    }

    /// Sends a request and waits at most `limit` seconds for libpq to say whether the server took it; false when it
    /// did not, or when the limit passed first (the request then goes on, abandoned, on its own thread).
    func send(waitingAtMost limit: TimeInterval) -> Bool {
        let finished = DispatchSemaphore(value: 0)
        let sent = Locked(false)
        inFlight.withLock { $0 += 1 }
        // A thread of its own, not Dispatch's pool: an abandoned request may block it for minutes.
        let thread = Thread { [self] in
            // libpq fills this buffer with a reason on failure; it is not needed beyond the result.
            var reason = [CChar](repeating: 0, count: 256)
            let result = PQcancel(cancel, &reason, Int32(reason.count)) == 1
            sent.withLock { $0 = result }
            inFlight.withLock { $0 -= 1 }
            finished.signal()
        }
        thread.name = "ondo.postgres.cancel"
        thread.start()
        guard finished.wait(timeout: .now() + limit) == .success else { return false }
        return sent.withLock { $0 }
    }
}
