import Foundation

/// One forward-only migration: `sql/NNNN_name.sql`.
public struct MigrationFile: Sendable, Hashable {
    /// The number from the file name (`1` for `0001_roles_and_schemas.sql`).
    public var version: Int
    /// The file name, e.g. `0001_roles_and_schemas.sql`.
    public var fileName: String
    /// The SQL text.
    public var sql: String
    /// SHA-256 of the file's bytes, lowercase hex.
    public var checksum: String

    /// Creates a migration from its file name and contents.
    public init(version: Int, fileName: String, sql: String) {
        self.version = version
        self.fileName = fileName
        self.sql = sql
        self.checksum = SHA256.hexDigest(Array(sql.utf8))
    }

    /// Reads every `NNNN_name.sql` in `directory`, sorted by version. Other files are ignored; a misnamed
    /// `.sql` file or a duplicate version is an error.
    public static func load(from directory: URL) throws -> [MigrationFile] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw MigrationError(
                code: .directoryNotFound, message: "cannot read the migrations folder \(directory.path)")
        }
        var files: [MigrationFile] = []
        for name in names.sorted() where name.hasSuffix(".sql") {
            guard let version = version(of: name) else {
                throw MigrationError(
                    code: .invalidFile,
                    message: "\(name) in \(directory.path) is not named NNNN_name.sql (four digits, then lowercase "
                        + "letters, digits or underscores)")
            }
            guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent(name).path),
                let sql = String(data: data, encoding: .utf8)
            else {
                throw MigrationError(code: .invalidFile, message: "cannot read \(name) as UTF-8 text")
            }
            if let clash = files.first(where: { $0.version == version }) {
                throw MigrationError(
                    code: .invalidFile, message: "\(clash.fileName) and \(name) have the same version number")
            }
            files.append(MigrationFile(version: version, fileName: name, sql: sql))
        }
        return files.sorted { $0.version < $1.version }
    }

    static func version(of name: String) -> Int? {
        let stem = name.dropLast(".sql".count)
        let parts = stem.split(separator: "_", maxSplits: 1)
        guard parts.count == 2, parts[0].count == 4, let version = Int(parts[0]), version > 0,
            !parts[1].isEmpty,
            parts[1].allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") })
        else { return nil }
        return version
    }
}
