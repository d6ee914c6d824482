import Foundation

/// The processes running on this machine, found by their command line in `/proc`: for tests that check what a
/// cluster or its watchdog left behind.
public enum RunningProcesses {
    /// The processes other than this one whose command line has every one of `arguments` among its arguments.
    public static func withArguments(_ arguments: String...) -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> pid_t? in
            guard let pid = pid_t(entry), pid != getpid(),
                let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline")
            else { return nil }
            let found = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            return arguments.allSatisfy(found.contains) ? pid : nil
        }
    }

    /// The watchdog processes (`sh -c … ondo-pg-watchdog <pid> <folder> …`) of the cluster in `dataDirectory`.
    public static func watchdogs(of dataDirectory: String) -> [pid_t] {
        withArguments("ondo-pg-watchdog", dataDirectory)
    }
}
