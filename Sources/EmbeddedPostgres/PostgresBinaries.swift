import Foundation

/// The server programs of a local PostgreSQL installation.
public struct PostgresBinaries: Sendable, Hashable {
    /// Path of `initdb`.
    public var initdb: String
    /// Path of `pg_ctl`.
    public var pgCtl: String
    /// Path of `postgres`.
    public var postgres: String

    /// Finds the programs on `PATH`, else under `<root>/*/bin` (Debian's `/usr/lib/postgresql/<version>/bin`),
    /// taking the highest version. Throws `.binariesNotFound` naming the Debian package to install.
    public static func locate(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        versionedRoot: String = "/usr/lib/postgresql"
    ) throws -> PostgresBinaries {
        let path = (environment["PATH"] ?? "").split(separator: ":").map(String.init)
        if let directory = path.first(where: { hasAll(in: $0) }) {
            return PostgresBinaries(directory: directory)
        }
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: versionedRoot)) ?? []
        let ordered = versions.sorted { lhs, rhs in
            lhs.compare(rhs, options: .numeric) == .orderedDescending
        }
        if let version = ordered.first(where: { hasAll(in: "\(versionedRoot)/\($0)/bin") }) {
            return PostgresBinaries(directory: "\(versionedRoot)/\(version)/bin")
        }
        throw EmbeddedPostgresError(
            code: .binariesNotFound,
            message: "PostgreSQL's server programs (initdb, pg_ctl, postgres) were not found on PATH or under "
                + "\(versionedRoot)/*/bin; install the Debian package `postgresql` (apt-get install postgresql)")
    }

    private init(directory: String) {
        initdb = directory + "/initdb"
        pgCtl = directory + "/pg_ctl"
        postgres = directory + "/postgres"
    }

    private static func hasAll(in directory: String) -> Bool {
        ["initdb", "pg_ctl", "postgres"].allSatisfy {
            FileManager.default.isExecutableFile(atPath: directory + "/" + $0)
        }
    }
}
