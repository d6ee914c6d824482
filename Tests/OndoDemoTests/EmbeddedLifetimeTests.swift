import Foundation
import OndoServer
import Postgres
import TestSupport
import Testing

/// An embedded cluster stays up while any ondo process uses it, and the last one out stops it, however the others
/// ended. Real `ondo serve --embedded` processes on a real cluster: one held before it loads its model (fail point
/// `serve.hold_start_until_file`) only keeps the cluster in use; one with the stand-in model also serves `/readyz`.
@Suite(.serialized) struct EmbeddedLifetimeTests {
    @Test func theStarterEndingFirstLeavesTheClusterToTheSharerWhichStopsIt() async throws {
        let folder = try DemoFolder("lifetime-normal")
        defer { folder.remove() }
        let starter = try await HeldServe.start(on: folder)
        let postmaster = try #require(folder.postmasterPID)
        let sharer = try await ReadyServe.start(on: folder)

        try await starter.stop()
        // The starter left the cluster to the sharer and ended its own watchdog: none waits on for its process.
        let starterWatchdogs = try await Self.watchdogsLeft(of: starter.process.pid, in: folder, after: 2)
        #expect(starterWatchdogs.isEmpty, "the starter's watchdog outlived its normal exit: \(starterWatchdogs)")
        #expect(!folder.watchdogs.isEmpty, "the sharer's watchdog still runs")
        let look = try await SharedClusterLook.take(folder, postmaster, from: sharer)
        print("after the starter's normal exit (+2 s): \(look)")
        #expect(look.stillUp, "the starter stopped a cluster that ondo serve still used")
        #expect(look.answers)
        #expect(look.readyz == "ready\n")

        // --reset is refused while another process uses the cluster, and the refused command leaves it running.
        let reset = try await OndoExecutable.run(
            ["demo", "--reset", "--embedded-dir", folder.dataDirectory, "--duration", "1", "--customers", "100"],
            directory: folder.path)
        print("ondo demo --reset meanwhile: exit \(reset.status), \(reset.standardError.debugDescription)")
        #expect(reset.status == 1 && reset.standardError.contains("stop it before --reset"))
        #expect(folder.runs(postmaster))

        let gone = try await sharer.stopAndTimeTheServer(postmaster, in: folder)
        print("the sharer, last out, exited normally: postmaster gone \(Self.seconds(gone)) after it")
        #expect((gone ?? .infinity) < 1, "the last one out stops the cluster itself, at once")
        #expect(try await Self.noWatchdogLeft(folder, within: 3))
    }

    @Test func aKilledStartersWatchdogWaitsForTheSharerThenStopsTheCluster() async throws {
        let folder = try DemoFolder("lifetime-killed-starter")
        defer { folder.remove() }
        let starter = try await HeldServe.start(on: folder)
        let postmaster = try #require(folder.postmasterPID)
        let socketFolder = try #require(folder.socketDirectory)
        let sharer = try await ReadyServe.start(on: folder)

        try await starter.kill()
        // The starter's watchdog looks once a second: three looks.
        try await Task.sleep(for: .seconds(3))
        let look = try await SharedClusterLook.take(folder, postmaster, from: sharer)
        print("3 s after the starter was killed: \(look)")
        #expect(look.stillUp, "the killed starter's watchdog stopped a cluster that ondo serve still used")
        #expect(look.answers)
        #expect(look.readyz == "ready\n")

        let gone = try await sharer.stopAndTimeTheServer(postmaster, in: folder)
        print("the sharer exited normally: postmaster gone \(Self.seconds(gone)) after it")
        #expect((gone ?? .infinity) < 5)
        #expect(
            try await Self.noWatchdogLeft(folder, within: 3), "the starter's watchdog ends once the cluster is stopped")
        #expect(!FileManager.default.fileExists(atPath: socketFolder), "the socket folder \(socketFolder) is left")
    }

    @Test func aKilledSharerLastOutStillHasTheClusterStopped() async throws {
        let folder = try DemoFolder("lifetime-killed-sharer")
        defer { folder.remove() }
        let starter = try await HeldServe.start(on: folder)
        let postmaster = try #require(folder.postmasterPID)
        let socketFolder = try #require(folder.socketDirectory)
        let sharer = try await HeldServe.start(on: folder, sharing: true)

        try await starter.stop()
        try await Task.sleep(for: .seconds(1))
        let stillUp = folder.runs(postmaster)
        print("1 s after the starter's normal exit: postmaster \(stillUp ? "up" : "gone")")
        #expect(stillUp, "the starter stopped a cluster that ondo serve still used")
        try await sharer.kill()
        let gone = try await folder.secondsUntilStopped(postmaster, within: 10)
        print("the sharer, last out, was killed: postmaster gone \(Self.seconds(gone)) later")
        #expect((gone ?? .infinity) < 5, "a killed last user left the cluster running")
        #expect(try await Self.noWatchdogLeft(folder, within: 3))
        #expect(!FileManager.default.fileExists(atPath: socketFolder), "the socket folder \(socketFolder) is left")
    }

    @Test func aSingleUserStopsTheClusterAtOnce() async throws {
        let folder = try DemoFolder("lifetime-single")
        defer { folder.remove() }
        let only = try await HeldServe.start(on: folder)
        let postmaster = try #require(folder.postmasterPID)
        try await only.stop()
        let pidFileLeft = folder.isLocked
        let gone = try await folder.secondsUntilStopped(postmaster, within: 5)
        print(
            "a single user exited normally: pid file \(pidFileLeft ? "left" : "removed") at its exit, "
                + "postmaster gone \(Self.seconds(gone)) after it")
        #expect(!pidFileLeft, "the server is stopped before the process exits")
        #expect((gone ?? .infinity) < 1)
        #expect(try await Self.noWatchdogLeft(folder, within: 3))
    }

    /// The watchdog opens the lock files only once its process is gone. One it cannot open then (here the start lock,
    /// a link into a folder that does not exist) must not end it: it still stops the cluster its killed process used.
    @Test func aKilledUsersWatchdogStopsTheClusterWhenALockFileCannotBeOpened() async throws {
        let folder = try DemoFolder("lifetime-unopenable-lock")
        defer { folder.remove() }
        try FileManager.default.createSymbolicLink(
            atPath: folder.dataDirectory + ".start-lock", withDestinationPath: folder.path + "/missing/start-lock")
        let only = try await HeldServe.start(on: folder)
        let postmaster = try #require(folder.postmasterPID)
        try await only.kill()
        let gone = try await folder.secondsUntilStopped(postmaster, within: 10)
        if gone == nil { kill(postmaster, SIGQUIT) }  // leaves no server behind
        print("the only user, killed, with an unopenable start lock: postmaster gone \(Self.seconds(gone)) later")
        #expect((gone ?? .infinity) < 5, "the watchdog ended without stopping the cluster")
        #expect(try await Self.noWatchdogLeft(folder, within: 3))
    }

    static func seconds(_ value: Double?) -> String { value.map { String(format: "%.2f s", $0) } ?? "never" }

    /// Whether a new connection to the cluster's database `ondo` as the application login runs a query.
    static func clusterAnswers(_ folder: DemoFolder) async throws -> Bool {
        guard let socket = folder.socketDirectory, let port = folder.port else { return false }
        let configuration = PostgresConfiguration(
            connectionString: "host='\(socket)' port=\(port) user=\(EmbeddedDatabase.applicationLogin) dbname=ondo",
            applicationName: "ondo-tests")
        return try await BlockingWork.run {
            guard let connection = try? PostgresConnection(configuration: configuration, logger: TestPostgres.logger)
            else { return false }
            defer { connection.close() }
            return (try? connection.queryValue(Int.self, "SELECT 1")) == 1
        }
    }

    /// The watchdogs of `folder`'s cluster that watch the process `pid`, `seconds` after now (their process has
    /// ended: the watchdogs look once a second).
    static func watchdogsLeft(of pid: Int32, in folder: DemoFolder, after seconds: Double) async throws -> [pid_t] {
        try await Task.sleep(for: .seconds(seconds))
        return RunningProcesses.withArguments("ondo-pg-watchdog", folder.dataDirectory, String(pid))
    }

    /// Waits up to `seconds` until no watchdog for `folder`'s cluster runs; true if none is left.
    static func noWatchdogLeft(_ folder: DemoFolder, within seconds: Double) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while !folder.watchdogs.isEmpty {
            guard Date() < deadline else {
                print("watchdogs still running for \(folder.dataDirectory): \(folder.watchdogs)")
                return false
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        return true
    }
}

/// What a sharer of the cluster finds once the starter is gone: whether the postmaster still runs, whether a new
/// connection runs a query, and what the sharer's `/readyz` says.
struct SharedClusterLook: CustomStringConvertible {
    let stillUp: Bool
    let answers: Bool
    let readyz: String

    static func take(_ folder: DemoFolder, _ postmaster: Int32, from sharer: ReadyServe) async throws
        -> SharedClusterLook
    {
        SharedClusterLook(
            stillUp: folder.runs(postmaster), answers: try await EmbeddedLifetimeTests.clusterAnswers(folder),
            readyz: try await sharer.readyz())
    }

    var description: String {
        "postmaster \(stillUp ? "up" : "gone"), a query \(answers ? "answers" : "fails"), "
            + "the sharer's /readyz \(readyz.debugDescription)"
    }
}

/// `ondo serve --embedded` held before it loads its model until a gate file exists, which never comes: it only uses
/// the cluster, cheaply.
struct HeldServe {
    let process: OndoProcess
    let gate: String

    static func start(on folder: DemoFolder, sharing: Bool = false) async throws -> HeldServe {
        let gate = try TestFiles.path("ondo-lifetime-gate")
        let process = try OndoProcess.start(
            ["serve", "--embedded", "--embedded-dir", folder.dataDirectory, "--http-port", "0", "--log-level", "info"],
            environment: ["ONDO_FAILPOINTS": "serve.hold_start_until_file=\(gate)"], directory: folder.path)
        try await waitFor(process, "start-up held") { $0.standardError.contains("start-up held") }
        let shared = process.output().standardError.contains("another ondo process runs")
        guard shared == sharing else { throw DemoTestError("expected sharing \(sharing): \(process.output())") }
        return HeldServe(process: process, gate: gate)
    }

    /// A normal stop: SIGTERM, then the gate, so that it goes on to stop.
    func stop() async throws {
        process.signal(SIGTERM)
        _ = FileManager.default.createFile(atPath: gate, contents: nil)
        let outcome = try await process.waitForExit()
        unlink(gate)
        guard outcome.status == 0 else { throw DemoTestError("exit \(outcome.status): \(outcome.standardError)") }
    }

    /// Kills it (SIGKILL) and waits until it is gone: what it left running, its watchdog must stop.
    func kill() async throws {
        process.signal(SIGKILL)
        _ = try await process.waitForExit()
    }

    static func waitFor(
        _ process: OndoProcess, _ what: String,
        _ condition: ((standardOutput: String, standardError: String)) -> Bool
    ) async throws {
        let deadline = Date().addingTimeInterval(60)
        while !condition(process.output()) {
            guard process.isRunning, Date() < deadline else {
                throw DemoTestError("timed out waiting until \(what): \(process.output())")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}

/// `ondo serve --embedded` sharing the cluster with the stand-in model, once it serves HTTP.
struct ReadyServe {
    let process: OndoProcess
    let port: Int

    static func start(on folder: DemoFolder) async throws -> ReadyServe {
        let process = try OndoProcess.start(
            [
                "serve", "--embedded", "--embedded-dir", folder.dataDirectory, "--http-port", "0", "--stand-in-model",
                "--log-level", "info",
            ], directory: folder.path)
        try await HeldServe.waitFor(process, "it listens") { $0.standardOutput.contains("listening on port ") }
        let output = process.output()
        guard output.standardError.contains("another ondo process runs") else {
            throw DemoTestError("it does not share the cluster: \(output.standardError)")
        }
        guard let port = DemoCommandTests.figure(after: "listening on port ", in: output.standardOutput) else {
            throw DemoTestError("no port: \(output.standardOutput)")
        }
        let ready = ReadyServe(process: process, port: port)
        let deadline = Date().addingTimeInterval(30)
        while try await ready.readyz() != "ready\n", Date() < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        return ready
    }

    /// What `/readyz` says (curl, as an operator would ask).
    func readyz() async throws -> String {
        try await BlockingWork.run {
            let curl = Process()
            curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
            curl.arguments = ["-sS", "--max-time", "10", "http://127.0.0.1:\(port)/readyz"]
            let output = Pipe()
            curl.standardOutput = output
            try curl.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            curl.waitUntilExit()
            return String(decoding: data, as: UTF8.self)
        }
    }

    /// Stops it normally (SIGTERM) and returns how long after its exit the server `postmaster` was gone, nil if it
    /// still ran 10 s later.
    func stopAndTimeTheServer(_ postmaster: Int32, in folder: DemoFolder) async throws -> Double? {
        let outcome = try await process.stop()
        guard outcome.status == 0 else { throw DemoTestError("exit \(outcome.status): \(outcome.standardError)") }
        return try await folder.secondsUntilStopped(postmaster, within: 10)
    }
}

extension DemoFolder {
    /// The socket folder and port of the running server (from `postmaster.pid`).
    private var pidFileLines: [String] {
        let text = (try? String(contentsOfFile: dataDirectory + "/postmaster.pid", encoding: .utf8)) ?? ""
        return text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
    }

    /// True while `postmaster` runs and the pid file names it.
    func runs(_ postmaster: Int32) -> Bool { postmasterPID == postmaster && Self.isRunning(postmaster) }

    /// True while process `pid` exists and is not a zombie: a postmaster that exited stays one until the machine's
    /// init reaps it, which here took up to 1.5 s.
    static func isRunning(_ pid: Int32) -> Bool {
        guard isAlive(pid) else { return false }
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        // `pid (name) state …`: the state follows the last parenthesis.
        guard let close = stat.lastIndex(of: ")") else { return false }
        return stat[close...].dropFirst().trimmingCharacters(in: .whitespaces).first != "Z"
    }

    /// Waits up to `seconds` for the server `pid` to have exited and its pid file to be removed; true if it happened.
    func serverStopped(_ pid: Int32, within seconds: Double) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Self.isRunning(pid) || isLocked {
            guard Date() < deadline else { return false }
            try await Task.sleep(for: .milliseconds(20))
        }
        return true
    }

    var socketDirectory: String? { pidFileLines.count > 4 && !pidFileLines[4].isEmpty ? pidFileLines[4] : nil }
    var port: Int? { pidFileLines.count > 3 ? Int(pidFileLines[3]) : nil }

    /// Waits up to `seconds` for the server `pid` to stop (``serverStopped(_:within:)``); returns how long that took
    /// from now, nil if it had not stopped by then.
    func secondsUntilStopped(_ pid: Int32, within seconds: Double) async throws -> Double? {
        let started = Date()
        return try await serverStopped(pid, within: seconds) ? Date().timeIntervalSince(started) : nil
    }

    /// The watchdog processes of this folder's cluster.
    var watchdogs: [pid_t] { RunningProcesses.watchdogs(of: dataDirectory) }
}
