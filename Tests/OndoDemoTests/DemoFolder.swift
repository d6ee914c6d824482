import EmbeddedPostgres
import Foundation

/// A temporary folder for an embedded cluster, open to the server user when the tests run as root (so the
/// cluster lives inside it rather than in a fallback folder), removed at the end.
struct DemoFolder {
    let path: String

    init(_ name: String) throws {
        path = try EmbeddedPostgres.makeTemporaryDirectory(prefix: "ondo-\(name)")
        chmod(path, 0o755)
    }

    /// The cluster's data folder inside.
    var dataDirectory: String { path + "/pg" }

    /// The postmaster's pid while the server runs (from `postmaster.pid`).
    var postmasterPID: Int32? {
        guard let text = try? String(contentsOfFile: dataDirectory + "/postmaster.pid", encoding: .utf8) else {
            return nil
        }
        return text.split(separator: "\n").first.flatMap { Int32($0.trimmingCharacters(in: .whitespaces)) }
    }

    /// True while process `pid` exists.
    static func isAlive(_ pid: Int32) -> Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }

    /// Waits up to `seconds` for the server `pid` to be gone and its pid file removed; true if it happened.
    func serverGone(_ pid: Int32, within seconds: Double = 30) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Self.isAlive(pid) || postmasterPID != nil {
            guard Date() < deadline else { return false }
            try await Task.sleep(for: .milliseconds(100))
        }
        return true
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
