import Foundation
import TestSupport
import Testing

/// `--embedded-dir` under a path one of whose parts is a file.
@Suite struct EmbeddedFolderUnderAFileTests {
    /// As root, `--embedded-dir notes.txt/pg` read as "notes.txt is closed to the user postgres …", and the cluster was
    /// made in /var/tmp instead (the command succeeded there); as another user, initdb failed. It is now refused,
    /// naming the file.
    @Test func aFolderUnderAFileIsRefusedNamingTheFile() async throws {
        let folder = try DemoFolder("under-a-file")
        defer { folder.remove() }
        let file = folder.path + "/notes.txt"
        #expect(FileManager.default.createFile(atPath: file, contents: Data("not a folder\n".utf8)))
        let list = try await OndoExecutable.run(
            ["customer", "list", "--embedded", "--embedded-dir", file + "/pg"], directory: folder.path)
        print("ondo customer list --embedded-dir notes.txt/pg: exit \(list.status)\n\(list.standardError)")
        // Before the fix, as root, the cluster went to a fallback folder the note names: remove it.
        if let range = list.standardError.range(of: #"/var/tmp/ondo-postgres-[0-9a-f]+"#, options: .regularExpression) {
            let fallback = String(list.standardError[range])
            for path in [fallback, fallback + ".start-lock", fallback + ".users-lock"] {
                try? FileManager.default.removeItem(atPath: path)
            }
        }
        #expect(list.status == 1, "\(list.standardError)")
        #expect(
            list.standardError.contains("\(file) is not a folder, so the cluster's folder \(file)/pg cannot be there"),
            "\(list.standardError)")
    }

    /// A folder that cannot be made said only "cannot create … (errno 36)"; it now says why in words.
    @Test func aFolderThatCannotBeMadeSaysWhyInWords() async throws {
        let folder = try DemoFolder("name-too-long")
        defer { folder.remove() }
        let tooLong = folder.path + "/" + String(repeating: "a", count: 300) + "/pg"
        let list = try await OndoExecutable.run(
            ["customer", "list", "--embedded", "--embedded-dir", tooLong], directory: folder.path)
        print("ondo customer list --embedded-dir <a 300-character name>/pg: exit \(list.status)\n\(list.standardError)")
        #expect(list.status == 1, "\(list.standardError)")
        #expect(list.standardError.contains(": File name too long"), "\(list.standardError)")
        #expect(!list.standardError.contains("errno"), "\(list.standardError)")
    }
}
