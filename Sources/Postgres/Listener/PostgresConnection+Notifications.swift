import CLibPQ
import Foundation

extension PostgresConnection {
    /// Blocks in `poll` on the session's socket and on `wakeDescriptor` until either is readable, delivering
    /// every notification that arrived. Returns true when woken through `wakeDescriptor`; throws
    /// `.connectionClosed` when the session ends.
    func awaitNotifications(wakeDescriptor: Int32, deliver: (PostgresNotification) -> Void) throws -> Bool {
        let handle = try liveHandle(sql: nil, file: #fileID, line: #line)
        let socket = PQsocket(handle)
        guard socket >= 0 else {
            throw connectionError(handle, sql: nil, bindCount: 0, file: #fileID, line: #line)
        }
        while true {
            drainNotifications(handle, deliver: deliver)
            var descriptors = [
                pollfd(fd: socket, events: Int16(POLLIN), revents: 0),
                pollfd(fd: wakeDescriptor, events: Int16(POLLIN), revents: 0),
            ]
            let ready = poll(&descriptors, 2, -1)
            if ready < 0 {
                if errno == EINTR { continue }
                throw PostgresError(code: .connectionClosed, message: "poll failed with errno \(errno)")
            }
            if descriptors[1].revents != 0 { return true }
            if descriptors[0].revents != 0 {
                if PQconsumeInput(handle) == 0 || PQstatus(handle) != CONNECTION_OK {
                    drainNotifications(handle, deliver: deliver)
                    throw connectionError(handle, sql: nil, bindCount: 0, file: #fileID, line: #line)
                }
            }
        }
    }

    private func drainNotifications(_ handle: OpaquePointer, deliver: (PostgresNotification) -> Void) {
        while let notification = PQnotifies(handle) {
            deliver(
                PostgresNotification(
                    channel: String(cString: notification.pointee.relname),
                    payload: notification.pointee.extra.map { String(cString: $0) } ?? "",
                    senderPID: notification.pointee.be_pid))
            PQfreemem(notification)
        }
    }
}
