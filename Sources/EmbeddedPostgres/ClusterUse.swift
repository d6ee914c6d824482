import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// One process's use of a cluster that several ondo processes share, so that the last one out stops it.
///
/// Every process that uses the cluster holds a shared `flock` on the file `<data folder>.users-lock` beside the
/// folder for as long as it uses it. The system drops a process's lock when the process ends, however it ends
/// (SIGKILL included). A process done with the cluster gives its lock up, then tries an exclusive one: if it gets
/// it, no other process uses the cluster, and it stops it. A watchdog does the same for a process that died.
///
/// Lock order, everywhere: the cluster's ``StartLock`` first, this lock second. A use begins, and an exclusive lock is
/// tried, only while holding the start lock, so a command half-way through finding and sharing the cluster never
/// sees it stopped under it, and the shared lock never waits.
final class ClusterUse: Sendable {
    /// The cluster's data folder (standardised).
    let dataDirectory: String
    /// The lock file's descriptor while this use lasts.
    private let descriptor: Mutex<Int32?>

    /// The users-lock file of the cluster in `dataDirectory` (a standardised path).
    static func lockPath(forClusterIn dataDirectory: String) -> String { dataDirectory + ".users-lock" }

    /// Counts this process as a user of the cluster in `dataDirectory`; call it holding the cluster's start lock.
    /// Nil when the lock file cannot be opened (a folder without write permission): there is then no count, and the
    /// process that started the server stops it, as when it is not shared.
    static func begin(clusterIn dataDirectory: String) -> ClusterUse? {
        // The watchdog's shell opens both files once this process is gone: the start lock's must exist too, for it to
        // wait its turn with the processes that start or share the server.
        if let startLock = LockFile.openDescriptor(StartLock.path(forClusterIn: dataDirectory)) { close(startLock) }
        guard let descriptor = LockFile.openDescriptor(lockPath(forClusterIn: dataDirectory)) else { return nil }
        guard LockFile.lock(descriptor, LOCK_SH) else {
            close(descriptor)
            return nil
        }
        return ClusterUse(dataDirectory: dataDirectory, descriptor: descriptor)
    }

    /// True when another process uses the cluster in `dataDirectory` (holds a shared lock on its users-lock file), or
    /// when that cannot be told (the file does not open). Call it holding the cluster's start lock and before this
    /// process's own use begins: no use begins and no watchdog looks meanwhile.
    static func othersUse(clusterIn dataDirectory: String) -> Bool {
        guard let descriptor = LockFile.openDescriptor(lockPath(forClusterIn: dataDirectory)) else { return true }
        defer { close(descriptor) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else { return true }
        flock(descriptor, LOCK_UN)
        return false
    }

    private init(dataDirectory: String, descriptor: Int32) {
        self.dataDirectory = dataDirectory
        self.descriptor = Mutex(descriptor)
    }

    /// Ends this use without looking whether others remain: for a start that failed before the server ran.
    func abandon() {
        if let descriptor = descriptor.withLock({ $0.take() }) {
            flock(descriptor, LOCK_UN)
            close(descriptor)
        }
    }

    /// What ``end(startLockHeld:stopServer:)`` did.
    enum Ending {
        /// No other process used the cluster: `stopServer` ran.
        case stopped
        /// Another process still uses the cluster (that one, or its watchdog, stops it).
        case leftToOthers
        /// This use had already ended: nothing was done.
        case alreadyEnded
    }

    /// Ends this use, then — holding the start lock (taken here unless `startLockHeld`) and an exclusive lock on the
    /// users-lock file — runs `stopServer` if no other process uses the cluster any more.
    func end(startLockHeld: Bool, stopServer: () throws -> Void) throws -> Ending {
        guard let descriptor = descriptor.withLock({ $0.take() }) else { return .alreadyEnded }
        defer { close(descriptor) }
        flock(descriptor, LOCK_UN)
        let startLock = startLockHeld ? nil : StartLock.acquire(forClusterIn: dataDirectory)
        defer { startLock?.release() }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else { return .leftToOthers }
        defer { flock(descriptor, LOCK_UN) }
        try stopServer()
        return .stopped
    }
}
