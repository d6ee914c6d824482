import Foundation
import TestSupport
import Testing

/// A file that a setting names and that cannot be read — missing, a folder — is reported with the setting that
/// named it and why, wherever the setting came from: the command line, the environment or the configuration file.
/// The password files and the model file said only the path ("cannot read the password file /x: No such file or
/// directory", "no model file at /x"), leaving the operator to find which of several settings pointed there.
/// (Permission denied is not tested: the tests run as root, who may read any file.)
@Suite struct SettingFileErrorsTests {
    /// No server answers here: the password file is read before any connection is tried.
    private static let nowhere = "host=/nonexistent-ondo-socket-dir dbname=ondo"

    /// A missing file and a folder, with why each cannot be read as a password file (the system's words) and as a
    /// model file.
    private static func missingAndFolder() throws -> [(path: String, why: String, modelWhy: String)] {
        let folder = try TestFiles.path("setting-file-folder")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return [
            (try TestFiles.path("setting-file-missing"), "No such file or directory", "no model file at"),
            (folder, "Is a directory", "it is a folder"),
        ]
    }

    private static func configFile(_ json: String) throws -> String {
        let path = try TestFiles.path("setting-file-config", suffix: ".json")
        try json.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func passwordFilesNameTheirSetting() async throws {
        for (file, why, _) in try Self.missingAndFolder() {
            let configured = try Self.configFile(
                #"{"database": {"url": "\#(Self.nowhere)", "passwordFile": "\#(file)"}}"#)
            let adminConfigured = try Self.configFile(
                #"{"database": {"adminUrl": "\#(Self.nowhere)", "adminPasswordFile": "\#(file)"}}"#)
            let cases: [(arguments: [String], environment: [String: String], setting: String)] = [
                (
                    ["reviews", "status", "--database-url", Self.nowhere, "--database-password-file", file], [:],
                    "--database-password-file"
                ),
                (
                    ["reviews", "status"], ["ONDO_DATABASE_URL": Self.nowhere, "ONDO_DATABASE_PASSWORD_FILE": file],
                    "ONDO_DATABASE_PASSWORD_FILE"
                ),
                (
                    ["migrate"], ["ONDO_ADMIN_DATABASE_URL": Self.nowhere, "ONDO_ADMIN_DATABASE_PASSWORD_FILE": file],
                    "ONDO_ADMIN_DATABASE_PASSWORD_FILE"
                ),
                (["reviews", "status", "--config", configured], [:], "database.passwordFile in \(configured)"),
                (["migrate", "--config", adminConfigured], [:], "database.adminPasswordFile in \(adminConfigured)"),
            ]
            for (arguments, environment, setting) in cases {
                let outcome = try await OndoExecutable.run(arguments, environment: environment)
                #expect(outcome.status == 1, "\(arguments): \(outcome.standardError)")
                #expect(
                    outcome.standardError.contains(
                        "cannot read the password file \(file) (named by \(setting)): \(why)"),
                    "\(arguments) \(environment): \(outcome.standardError)")
            }
        }
    }

    @Test func theModelFileNamesItsSetting() async throws {
        for (file, _, why) in try Self.missingAndFolder() {
            let configured = try Self.configFile(#"{"server": {"modelPath": "\#(file)"}}"#)
            let cases: [(arguments: [String], environment: [String: String], setting: String)] = [
                (["sentiment", "predict", "--model", file, "좋아요"], [:], "--model"),
                (["sentiment", "info"], ["ONDO_SENTIMENT_MODEL": file], "ONDO_SENTIMENT_MODEL"),
                (["serve", "--model", file, "--database-url", Self.nowhere], [:], "--model"),
                (["serve", "--database-url", Self.nowhere], ["ONDO_SENTIMENT_MODEL": file], "ONDO_SENTIMENT_MODEL"),
                (
                    ["serve", "--config", configured, "--database-url", Self.nowhere], [:],
                    "server.modelPath in \(configured)"
                ),
            ]
            for (arguments, environment, setting) in cases {
                let outcome = try await OndoExecutable.run(arguments, environment: environment)
                #expect(outcome.status == 1, "\(arguments): \(outcome.standardError)")
                #expect(
                    outcome.standardError.contains("\(file) (named by \(setting))"),
                    "\(arguments) \(environment): \(outcome.standardError)")
                #expect(outcome.standardError.contains(why), "\(arguments): \(outcome.standardError)")
            }
        }
    }
}
