import CRMStore
import Foundation
import Testing

/// File naming, checksums and finding the migrations folder (no database needed).
@Suite struct MigrationFileTests {
    @Test func checksumsAreSHA256() {
        func checksum(_ text: String) -> String {
            MigrationFile(version: 1, fileName: "0001_x.sql", sql: text).checksum
        }
        #expect(checksum("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(checksum("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            checksum("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(
            checksum(String(repeating: "a", count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        #expect(checksum("리뷰") != checksum("리뷰 "))
    }

    @Test func loadsNumberedFilesInOrderAndRejectsBadNames() throws {
        let folder = try temporaryFolder([
            "0002_second.sql": "SELECT 2;", "0001_first.sql": "SELECT 1;", "README.md": "x",
        ])
        defer { try? FileManager.default.removeItem(at: folder) }
        let files = try MigrationFile.load(from: folder)
        #expect(files.map(\.fileName) == ["0001_first.sql", "0002_second.sql"])
        #expect(files.map(\.version) == [1, 2])

        for bad in ["1_short.sql", "0003-dash.sql", "0003_Upper.sql", "0003_.sql"] {
            let broken = try temporaryFolder(["0001_first.sql": "SELECT 1;", bad: "SELECT 3;"])
            defer { try? FileManager.default.removeItem(at: broken) }
            let error = #expect(throws: MigrationError.self) { try MigrationFile.load(from: broken) }
            #expect(error?.code == .invalidFile)
            #expect(error?.message.contains(bad) == true)
        }
        let duplicate = try temporaryFolder(["0001_first.sql": "", "0001_again.sql": ""])
        defer { try? FileManager.default.removeItem(at: duplicate) }
        #expect(throws: MigrationError.self) { try MigrationFile.load(from: duplicate) }
    }

    @Test func findsTheMigrationsFolder() throws {
        let root = try temporaryFolder(["sql/0001_first.sql": "SELECT 1;"])
        defer { try? FileManager.default.removeItem(at: root) }
        let nested = root.appendingPathComponent("a/b/c")
        try FileManager.default.createDirectory(at: nested, withIntermediateDirectories: true)
        let sql = root.appendingPathComponent("sql").standardizedFileURL.path

        let explicit = try MigrationDirectory.locate(
            explicit: sql, environment: [:], executablePath: nil, currentDirectory: "/")
        #expect(explicit.path == sql)
        let fromEnvironment = try MigrationDirectory.locate(
            environment: ["ONDO_SQL_DIR": sql], executablePath: nil, currentDirectory: "/")
        #expect(fromEnvironment.path == sql)
        let fromExecutable = try MigrationDirectory.locate(
            environment: [:], executablePath: nested.appendingPathComponent("ondo").path, currentDirectory: "/",
            newest: 1)
        #expect(fromExecutable.standardizedFileURL.path == sql)
        let fromWorkingDirectory = try MigrationDirectory.locate(
            environment: [:], executablePath: nil, currentDirectory: nested.path, newest: 1)
        #expect(fromWorkingDirectory.standardizedFileURL.path == sql)

        let wrong = #expect(throws: MigrationError.self) {
            try MigrationDirectory.locate(
                explicit: root.path, environment: [:], executablePath: nil, currentDirectory: "/")
        }
        #expect(wrong?.code == .directoryNotFound)
    }

    /// An `ondo` run from another checkout (or a copied binary run in one) must not migrate with that checkout's
    /// files: a database migrated past this build's schema is one it refuses to serve.
    @Test func aFolderFoundBySearchingMustEndAtThisBuildsMigration() throws {
        let newer = try temporaryFolder(["sql/0001_first.sql": "", "sql/0002_second.sql": "", "sql/0003_third.sql": ""])
        let fitting = try temporaryFolder(["sql/0001_first.sql": "", "sql/0002_second.sql": ""])
        defer {
            try? FileManager.default.removeItem(at: newer)
            try? FileManager.default.removeItem(at: fitting)
        }
        let executable = newer.appendingPathComponent("bin/ondo").path
        let passedOver = try MigrationDirectory.locate(
            environment: [:], executablePath: executable, currentDirectory: fitting.path, newest: 2)
        #expect(passedOver.standardizedFileURL.path == fitting.appendingPathComponent("sql").standardizedFileURL.path)

        let refused = #expect(throws: MigrationError.self) {
            try MigrationDirectory.locate(
                environment: [:], executablePath: executable, currentDirectory: "/", newest: 2)
        }
        #expect(refused?.message.contains("holds migrations up to 3, but this ondo was built for migration 2") == true)
        #expect(refused?.message.contains(newer.appendingPathComponent("sql").standardizedFileURL.path) == true)

        let explicit = newer.appendingPathComponent("sql").path
        #expect(
            try MigrationDirectory.locate(explicit: explicit, environment: [:], executablePath: nil, newest: 2).path
                == explicit, "a folder given explicitly is taken as it is")
    }

    private func temporaryFolder(_ files: [String: String]) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "ondo-migrations-\(UUID().uuidString)")
        for (name, contents) in files {
            let url = folder.appendingPathComponent(name)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try contents.write(to: url, atomically: true, encoding: .utf8)
        }
        return folder
    }
}
