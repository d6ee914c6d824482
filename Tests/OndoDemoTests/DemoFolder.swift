import Foundation
import TestSupport

/// A temporary folder for an embedded cluster, open to the server user when the tests run as root (so the
/// cluster lives inside it rather than in a fallback folder), removed at the end.
struct DemoFolder {
    let path: String

    init(_ name: String) throws {
        path = try TestClusterFolder.make(prefix: "ondo-\(name)")
    }

    /// The cluster's data folder inside.
    var dataDirectory: String { path + "/pg" }

    /// The postmaster's pid while the server runs (from `postmaster.pid`). While initdb runs, the file names its
    /// standalone backend with a negative pid: that is not a server, and nil is returned.
    var postmasterPID: Int32? {
        guard let text = try? String(contentsOfFile: dataDirectory + "/postmaster.pid", encoding: .utf8),
            let pid = text.split(separator: "\n").first.flatMap({ Int32($0.trimmingCharacters(in: .whitespaces)) })
        else { return nil }
        return pid > 0 ? pid : nil
    }

    /// True while the data folder holds a lock file of any kind (a server's, or initdb's backend's).
    var isLocked: Bool {
        FileManager.default.fileExists(atPath: dataDirectory + "/postmaster.pid")
    }

    /// True while process `pid` exists.
    static func isAlive(_ pid: Int32) -> Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }

    /// Waits up to `seconds` for the server `pid` to be gone and its pid file removed; true if it happened.
    func serverGone(_ pid: Int32, within seconds: Double = 30) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Self.isAlive(pid) || isLocked {
            guard Date() < deadline else { return false }
            try await Task.sleep(for: .milliseconds(100))
        }
        return true
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
