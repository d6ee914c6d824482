import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// An exclusive lock on a cluster's folder for the time it takes to find, create or start the cluster, so that two
/// ondo processes started at the same moment on a stopped cluster do not both run `initdb` or `pg_ctl start` (one of
/// them failed): the second waits, then finds the cluster running and shares it. A process done with a shared
/// cluster takes it too while it looks whether it is the last user out (``ClusterUse``), and stops the cluster if so.
///
/// A `flock` on the file `<data folder>.start-lock` beside the folder (the folder itself may not exist yet, and
/// belongs to the server's user when running as root). The system releases it when the process ends, however it
/// ends. When the file cannot be opened (a folder without write permission), there is no lock, as before.
public final class StartLock {
    private let descriptor: Int32

    /// The lock file of the cluster in `dataDirectory`.
    static func path(forClusterIn dataDirectory: String) -> String {
        URL(fileURLWithPath: dataDirectory).standardizedFileURL.path + ".start-lock"
    }

    /// Waits for the lock of the cluster in `dataDirectory`; nil when its lock file cannot be opened.
    public static func acquire(forClusterIn dataDirectory: String) -> StartLock? {
        guard let descriptor = LockFile.openDescriptor(path(forClusterIn: dataDirectory)) else { return nil }
        guard LockFile.lock(descriptor, LOCK_EX) else {
            close(descriptor)
            return nil
        }
        return StartLock(descriptor: descriptor)
    }

    private init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// Lets the next process in.
    public func release() {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
