import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The lock files beside a cluster's folder (``StartLock``, ``ClusterUse``): opened, created if missing, and locked.
enum LockFile {
    /// Opens (creating it and its folder if needed) the file at `path`, close-on-exec: a program this process starts
    /// must not hold the lock after it ends. Nil when it cannot be opened.
    static func openDescriptor(_ path: String) -> Int32? {
        try? FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        // Readable by everyone: a lock file made by root must still open for a later run as another user.
        let descriptor = open(path, O_RDONLY | O_CREAT | O_CLOEXEC, 0o644)
        return descriptor >= 0 ? descriptor : nil
    }

    /// Waits for the lock `operation` (`LOCK_SH`, `LOCK_EX`) on `descriptor`; false on an error.
    static func lock(_ descriptor: Int32, _ operation: Int32) -> Bool {
        while flock(descriptor, operation) != 0 {
            guard errno == EINTR else { return false }
        }
        return true
    }
}
