import Foundation

/// Finds the folder of migration files at run time.
public enum MigrationDirectory {
    /// Where Docker images install the migrations.
    public static let installedPath = "/usr/share/ondo/sql"

    /// The first that exists of: `explicit` (`--migrations-dir`), `ONDO_SQL_DIR`, a `sql/` folder holding
    /// `0001_*.sql` in the executable's folder or the current folder or any folder above them, then
    /// `/usr/share/ondo/sql`.
    public static func locate(
        explicit: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        executablePath: String? = Self.currentExecutablePath,
        currentDirectory: String = FileManager.default.currentDirectoryPath
    ) throws -> URL {
        if let chosen = explicit ?? environment["ONDO_SQL_DIR"] {
            let url = URL(fileURLWithPath: chosen)
            guard hasMigrations(url) else {
                throw MigrationError(
                    code: .directoryNotFound, message: "\(chosen) does not contain migration files (0001_*.sql)")
            }
            return url
        }
        let starts = [
            executablePath.map { URL(fileURLWithPath: $0).deletingLastPathComponent() },
            URL(fileURLWithPath: currentDirectory),
        ].compactMap { $0 }
        for start in starts {
            var folder = start.standardizedFileURL
            while true {
                let candidate = folder.appendingPathComponent("sql")
                if hasMigrations(candidate) { return candidate }
                let parent = folder.deletingLastPathComponent()
                if parent.path == folder.path { break }
                folder = parent
            }
        }
        let installed = URL(fileURLWithPath: installedPath)
        if hasMigrations(installed) { return installed }
        throw MigrationError(
            code: .directoryNotFound,
            message: "no migrations folder found: pass --migrations-dir, set ONDO_SQL_DIR, run from the source "
                + "tree, or install them in \(installedPath)")
    }

    /// The running program's path (from `/proc/self/exe` on Linux).
    public static var currentExecutablePath: String? {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments.first
    }

    private static func hasMigrations(_ url: URL) -> Bool {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        return names.contains { $0.hasPrefix("0001_") && $0.hasSuffix(".sql") }
    }
}
