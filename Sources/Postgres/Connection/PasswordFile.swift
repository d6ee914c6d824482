import Foundation

/// The one reading of a password file, shared by every connection (`--database-password-file`,
/// `ONDO_DATABASE_PASSWORD_FILE`) and by `ondo roles add-login --password-file`, so that the password a login is
/// given and the one it later connects with are the same: the file's text without its trailing line breaks. A
/// file with a second line is refused rather than read one way here and another way there.
public enum PasswordFile {
    /// The password in the file at `path`; `setting` names the setting that chose the file
    /// (`ONDO_DATABASE_PASSWORD_FILE`, `--database-password-file`, …) in the errors, if known.
    public static func read(_ path: String, namedBy setting: String? = nil) throws(PostgresError) -> String {
        let file = path + (setting.map { " (named by \($0))" } ?? "")
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            // Why, in the system's words: "cannot read the password file /run/secrets/x" alone left the operator to
            // find out whether it was missing, a folder or closed to the user Ondo runs as.
            throw PostgresError(
                code: .configuration, message: "cannot read the password file \(file)" + Self.whyUnreadable(path))
        }
        return try password(in: String(decoding: data, as: UTF8.self), path: file)
    }

    /// ": " and the system's reason `path` cannot be read (its `open` or `read` error), or "" when none is found.
    private static func whyUnreadable(_ path: String) -> String {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return ": " + String(cString: strerror(errno)) }
        defer { close(descriptor) }
        var byte: UInt8 = 0
        return Glibc.read(descriptor, &byte, 1) < 0 ? ": " + String(cString: strerror(errno)) : ""
    }

    /// The password a file holding `text` gives.
    static func password(in text: String, path: String) throws(PostgresError) -> String {
        let password = text.trimmingTrailingNewlines()
        guard !password.isEmpty else {
            throw PostgresError(code: .configuration, message: "the password file \(path) is empty")
        }
        guard !password.unicodeScalars.contains(where: { $0 == "\n" || $0 == "\r" }) else {
            throw PostgresError(
                code: .configuration,
                message: "the password file \(path) holds more than one line: write the password alone, on one line")
        }
        return password
    }
}
