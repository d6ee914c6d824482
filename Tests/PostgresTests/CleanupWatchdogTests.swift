import EmbeddedPostgres
import Foundation
import TestSupport
import Testing

/// `EmbeddedPostgres.removeWhenProcessExits` and the test harness's `TestFiles` folder built on it: temporary
/// files must go even when a signal (Ctrl-C) ends the process, which skips `defer` and `atexit`.
@Suite struct CleanupWatchdogTests {
    @Test func aFolderIsDeletedOnceTheProcessItWatchesIsKilled() async throws {
        let folder = try EmbeddedPostgres.makeTemporaryDirectory(prefix: "ondo-cleanup-test")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        _ = FileManager.default.createFile(atPath: folder + "/config.json", contents: Data("{}".utf8))
        let watched = Process()
        watched.executableURL = URL(fileURLWithPath: "/bin/sleep")
        watched.arguments = ["60"]
        try watched.run()
        let watchdog = try EmbeddedPostgres.removeWhenProcessExits([folder], processID: watched.processIdentifier)
        defer { _ = waitpid(watchdog, nil, 0) }

        try await Task.sleep(for: .milliseconds(1500))
        #expect(FileManager.default.fileExists(atPath: folder), "kept while the process runs")
        kill(watched.processIdentifier, SIGKILL)  // like SIGINT, it skips `defer` and `atexit`
        watched.waitUntilExit()
        let deadline = Date().addingTimeInterval(10)
        while FileManager.default.fileExists(atPath: folder), Date() < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(!FileManager.default.fileExists(atPath: folder), "deleted after the process was killed")
    }

    @Test func theHarnessFolderIsUnderTmpAndPrivate() throws {
        let directory = try TestFiles.directory()
        #expect(directory.hasPrefix("/tmp/ondo-test-files."))
        #expect(try TestFiles.path("x", suffix: ".json").hasPrefix(directory + "/x-"))
        var info = stat()
        #expect(stat(directory, &info) == 0 && info.st_mode & 0o777 == 0o700)
    }
}
