import EmbeddedPostgres
import Foundation
import TestSupport
import Testing

/// `EmbeddedPostgres.removeWhenProcessExits`/`signalWhenProcessExits` and the harness's `TestFiles` folder: temporary
/// files and `ondo` processes must go even when a signal (Ctrl-C) ends the test process, which skips `defer` and
/// `atexit`.
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

    @Test func aProcessIsKilledOnceTheProcessItWatchesIsKilled() async throws {
        func sleeper() throws -> Process {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sleep")
            process.arguments = ["60"]
            try process.run()
            return process
        }
        let watched = try sleeper()  // stands for the test process
        let target = try sleeper()  // stands for an `ondo serve` a test started
        defer { if target.isRunning { kill(target.processIdentifier, SIGKILL) } }
        try EmbeddedPostgres.signalWhenProcessExits(target.processIdentifier, processID: watched.processIdentifier)

        try await Task.sleep(for: .milliseconds(1500))
        #expect(target.isRunning, "left alone while the watched process runs")
        kill(watched.processIdentifier, SIGKILL)
        watched.waitUntilExit()
        let deadline = Date().addingTimeInterval(10)
        while target.isRunning, Date() < deadline { try await Task.sleep(for: .milliseconds(100)) }
        #expect(!target.isRunning, "killed after the watched process was killed")
        #expect(target.terminationReason == .uncaughtSignal && target.terminationStatus == SIGKILL)
    }

    @Test func theHarnessFolderIsUnderTmpAndPrivate() throws {
        let directory = try TestFiles.directory()
        #expect(directory.hasPrefix("/tmp/ondo-test-files."))
        #expect(try TestFiles.path("x", suffix: ".json").hasPrefix(directory + "/x-"))
        var info = stat()
        #expect(stat(directory, &info) == 0 && info.st_mode & 0o777 == 0o700)
    }
}
