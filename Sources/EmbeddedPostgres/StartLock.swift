import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// An exclusive lock on a cluster's folder for the time it takes to find, create or start the cluster, so that two
/// ondo processes started at the same moment on a stopped cluster do not both run `initdb` or `pg_ctl start` (one of
/// them failed): the second waits, then finds the cluster running and shares it.
///
/// A `flock` on the file `<data folder>.start-lock` beside the folder (the folder itself may not exist yet, and
/// belongs to the server's user when running as root). The system releases it when the process ends, however it
/// ends. When the file cannot be opened (a folder without write permission), there is no lock, as before.
public final class StartLock {
    private let descriptor: Int32

    /// Waits for the lock of the cluster in `dataDirectory`; nil when its lock file cannot be opened.
    public static func acquire(forClusterIn dataDirectory: String) -> StartLock? {
        let path = URL(fileURLWithPath: dataDirectory).standardizedFileURL.path + ".start-lock"
        try? FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        // Readable by everyone: a lock file made by root must still open for a later run as another user.
        let descriptor = open(path, O_RDONLY | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return nil }
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else {
                close(descriptor)
                return nil
            }
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
