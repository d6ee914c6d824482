import Foundation

/// The account the PostgreSQL server runs as: the current user, or an unprivileged one when running as root
/// (PostgreSQL refuses to run as root).
struct ServerUser: Sendable {
    /// Prepended to server commands: empty, or `runuser -u <name> --`.
    let commandPrefix: [String]
    let uid: uid_t
    let gid: gid_t
    let name: String

    static func resolve() throws -> ServerUser {
        guard geteuid() == 0 else {
            return ServerUser(commandPrefix: [], uid: geteuid(), gid: getegid(), name: NSUserName())
        }
        guard let account = getpwnam("postgres") ?? getpwnam("nobody") else {
            throw EmbeddedPostgresError(
                code: .noUnprivilegedUser,
                message: "running as root, but neither a `postgres` nor a `nobody` user exists to run PostgreSQL")
        }
        guard
            let runuser = ["/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser"].first(where: {
                FileManager.default.isExecutableFile(atPath: $0)
            })
        else {
            throw EmbeddedPostgresError(
                code: .noUnprivilegedUser,
                message: "running as root needs `runuser` (Debian package util-linux) to start PostgreSQL")
        }
        let name = String(cString: account.pointee.pw_name)
        return ServerUser(
            commandPrefix: [runuser, "-u", name, "--"], uid: account.pointee.pw_uid, gid: account.pointee.pw_gid,
            name: name)
    }

    /// Makes `path` belong to the server user (only needed, and only possible, as root).
    func takeOwnership(of path: String) throws {
        guard !commandPrefix.isEmpty else { return }
        guard chown(path, uid, gid) == 0 else {
            throw EmbeddedPostgresError(
                code: .invalidDataDirectory,
                message: "cannot give \(path) to user \(name): \(String(cString: strerror(errno)))")
        }
    }
}
