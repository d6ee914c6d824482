import EmbeddedPostgres
import Foundation

/// Where the tests' throwaway PostgreSQL clusters live: in memory (`/dev/shm`) when the machine has one with room
/// to spare, else `/tmp`; `ONDO_TEST_CLUSTER_PARENT` names another folder.
///
/// Why memory: these clusters are deleted at exit and run without `fsync`, but their files still went through the
/// disk. On a virtual machine whose disk is throttled (a build writes hundreds of megabytes just before the tests
/// run), backends starting up waited on it for tens of seconds, and connections failed with "timeout expired".
public enum TestClusterFolder {
    /// Free space the memory folder must have to be chosen: every test database is a copy of the migrated template.
    static let requiredFreeBytes: UInt64 = 4 << 30

    /// The parent folder for a new cluster folder.
    public static var parent: String {
        if let chosen = ProcessInfo.processInfo.environment["ONDO_TEST_CLUSTER_PARENT"], !chosen.isEmpty {
            return chosen
        }
        return hasRoom("/dev/shm") ? "/dev/shm" : "/tmp"
    }

    /// A new folder `<parent>/<prefix>.XXXXXX`, readable by the unprivileged user the server runs as.
    public static func make(prefix: String) throws -> String {
        let base = try EmbeddedPostgres.makeTemporaryDirectory(prefix: prefix, in: parent)
        chmod(base, 0o755)  // the server user must reach data/ and run/ inside it
        return base
    }

    private static func hasRoom(_ path: String) -> Bool {
        var stats = statvfs()
        guard access(path, W_OK | X_OK) == 0, statvfs(path, &stats) == 0 else { return false }
        return UInt64(stats.f_bavail) * UInt64(stats.f_frsize) >= requiredFreeBytes
    }
}
