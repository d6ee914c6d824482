import CLibPQ

extension PostgresConnection {
    /// Turns a password into the verifier the server stores (`SCRAM-SHA-256$…`, following the server's
    /// `password_encryption`), computed by libpq on the client so the password itself is never sent or logged.
    public func encryptPassword(_ password: String, user: String) throws -> String {
        let handle = try liveHandle(sql: nil, file: #fileID, line: #line)
        guard !password.utf8.contains(0), !user.utf8.contains(0),
            let encrypted = PQencryptPasswordConn(handle, password, user, nil)
        else {
            throw PostgresError(code: .encoding, message: "cannot encrypt the password: \(lastErrorMessage(handle))")
        }
        defer { PQfreemem(encrypted) }
        return String(cString: encrypted)
    }
}
