import Foundation
import Testing

@testable import Postgres

/// One reading of a password file for connections and for `ondo roles add-login`. `add-login` took the first line
/// and connections the whole text without its trailing line breaks, so a file with a second line gave a login one
/// password and its connections another.
@Suite struct PasswordFileTests {
    @Test func aPasswordIsTheTextWithoutItsTrailingLineBreaks() throws {
        #expect(try PasswordFile.password(in: "hunter2", path: "f") == "hunter2")
        #expect(try PasswordFile.password(in: "hunter2\n", path: "f") == "hunter2")
        #expect(try PasswordFile.password(in: "비밀 번호\r\n\n", path: "f") == "비밀 번호")
        #expect(try PasswordFile.password(in: " spaced \n", path: "f") == " spaced ")
    }

    @Test func anEmptyOrMultiLineFileIsRefused() throws {
        #expect(throws: PostgresError.self) { try PasswordFile.password(in: "\r\n", path: "f") }
        for text in ["first\nsecond\n", "first\r\nsecond", "first\rsecond"] {
            do {
                _ = try PasswordFile.password(in: text, path: "/run/pw")
                Issue.record("\(text.debugDescription) was read as a password")
            } catch {
                #expect(
                    error.message
                        == "the password file /run/pw holds more than one line: write the password alone, on one line")
            }
        }
    }

    @Test func readsTheFileAndNamesOneItCannotRead() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ondo-pw-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data("s3cret\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(try PasswordFile.read(path) == "s3cret")
        do {
            _ = try PasswordFile.read(path + ".missing")
            Issue.record("a missing file was read")
        } catch {
            #expect(error.message == "cannot read the password file \(path).missing: No such file or directory")
        }
        // A folder says so too: the message said only "cannot read the password file PATH".
        do {
            _ = try PasswordFile.read(FileManager.default.temporaryDirectory.path)
            Issue.record("a folder was read")
        } catch {
            #expect(error.message.hasSuffix(": Is a directory"), "\(error.message)")
        }
    }
}
