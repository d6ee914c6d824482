import Foundation

/// Finds the folder of migration files at run time.
public enum MigrationDirectory {
    /// Where Docker images install the migrations.
    public static let installedPath = "/usr/share/ondo/sql"

    /// The first that exists of: `explicit` (`--migrations-dir`), `ONDO_SQL_DIR`, a `sql/` folder holding
    /// `0001_*.sql` in the executable's folder or the current folder or any folder above them, then
    /// `/usr/share/ondo/sql`.
    ///
    /// A folder found by searching must end at migration `newest` (this build's ``SchemaVersion/expected``): an
    /// `ondo` run from another checkout would otherwise migrate the database to a schema it cannot serve, or leave it
    /// short of one. Such a folder is passed over for a later one that fits, and refused by name when none does. A
    /// folder given explicitly is the operator's choice and is taken as it is.
    public static func locate(
        explicit: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        executablePath: String? = Self.currentExecutablePath,
        currentDirectory: String = FileManager.default.currentDirectoryPath,
        newest: Int = SchemaVersion.expected
    ) throws -> URL {
        if let chosen = origin(explicit: explicit, environment: environment).namedFolder {
            let url = URL(fileURLWithPath: chosen)
            guard newestMigration(in: url) != nil else {
                throw MigrationError(
                    code: .directoryNotFound, message: "\(chosen) does not contain migration files (0001_*.sql)")
            }
            return url
        }
        let starts = [
            executablePath.map { URL(fileURLWithPath: $0).deletingLastPathComponent() },
            URL(fileURLWithPath: currentDirectory),
        ].compactMap { $0 }
        var misfit: (folder: URL, newest: Int)?  // the first folder found for another version
        for candidate in starts.flatMap(folders(from:)) {
            guard let candidateNewest = newestMigration(in: candidate) else { continue }
            if candidateNewest == newest { return candidate }
            misfit = misfit ?? (candidate, candidateNewest)
        }
        let installed = URL(fileURLWithPath: installedPath)
        if newestMigration(in: installed) == newest { return installed }
        if let misfit {
            throw MigrationError(
                code: .directoryNotFound,
                message: "\(misfit.folder.path) holds migrations up to \(misfit.newest), but this ondo was built for "
                    + "migration \(newest): it belongs to another version of Ondo. Run the ondo built from that "
                    + "folder's source tree, or pass --migrations-dir (or set ONDO_SQL_DIR) to this version's sql/")
        }
        throw MigrationError(
            code: .directoryNotFound,
            message: "no migrations folder found: pass --migrations-dir, set ONDO_SQL_DIR, run from the source "
                + "tree, or install them in \(installedPath)")
    }

    /// Where ``locate(explicit:environment:executablePath:currentDirectory:newest:)`` takes the files from, given the
    /// same `explicit` and `environment`: a named folder, or this build's (found by searching).
    public static func origin(
        explicit: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> MigrationFilesOrigin {
        if let explicit { return .migrationsDirOption(path: explicit) }
        if let named = environment["ONDO_SQL_DIR"] { return .sqlDirEnvironment(path: named) }
        return .build
    }

    /// The running program's path (from `/proc/self/exe` on Linux).
    public static var currentExecutablePath: String? {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments.first
    }

    /// `start/sql`, then `sql/` in each folder above it.
    private static func folders(from start: URL) -> [URL] {
        var folders: [URL] = []
        var folder = start.standardizedFileURL
        while true {
            folders.append(folder.appendingPathComponent("sql"))
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { return folders }
            folder = parent
        }
    }

    /// The highest `NNNN` of the `NNNN_*.sql` files in `url`; nil when it holds no `0001_*.sql` (no migrations
    /// folder).
    private static func newestMigration(in url: URL) -> Int? {
        let listing = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        let names = listing.filter { $0.hasSuffix(".sql") }
        guard names.contains(where: { $0.hasPrefix("0001_") }) else { return nil }
        return names.compactMap { Int($0.prefix { $0.isNumber }) }.max()
    }
}
