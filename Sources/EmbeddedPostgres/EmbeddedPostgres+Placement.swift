import Foundation

extension EmbeddedPostgres {
    /// Where a cluster asked for in one folder will actually live, and why if elsewhere.
    public struct Placement: Sendable, Equatable {
        /// The data folder to pass to ``EmbeddedPostgres/start(dataDirectory:options:logger:)``.
        public var dataDirectory: String
        /// Set when the folder asked for could not be used: a sentence saying why, and where the cluster is instead.
        public var note: String?
    }

    /// Prepares the data folder for a cluster asked for in `requested`.
    ///
    /// As an ordinary user that is `requested` itself. As root the server runs as `postgres` (or `nobody`), which
    /// must be able to reach the folder: missing parent folders are created world-searchable (0755), and when an
    /// existing parent is closed to that user (a clone under `/root`, mode 0700) the cluster goes to a folder of
    /// its own under `/var/tmp` instead — named after `requested`, so a later run finds it again — owned by the
    /// server user and private to it.
    public static func placement(for requested: String) throws -> Placement {
        let path = URL(fileURLWithPath: requested).standardizedFileURL.path
        if let file = firstNonFolder(on: path) {
            // As root it read as a folder closed to the server user, and the cluster went to /var/tmp.
            throw EmbeddedPostgresError(
                code: .invalidDataDirectory,
                message: "\(file) is not a folder, so the cluster's folder \(path) cannot be there; choose another "
                    + "(--embedded-dir, ONDO_EMBEDDED_DIR)")
        }
        let user = try ServerUser.resolve()
        guard user.isSwitched else { return Placement(dataDirectory: path, note: nil) }
        try createSearchableParents(of: path)
        guard let closed = user.firstUnsearchableFolder(on: path) else {
            return Placement(dataDirectory: path, note: nil)
        }
        let fallback = try fallbackDirectory(for: path, user: user)
        return Placement(
            dataDirectory: fallback,
            note: "\(closed) is closed to the user \(user.name) that PostgreSQL runs as (it refuses to run as root), "
                + "so the cluster for \(path) lives in \(fallback) instead")
    }

    /// The folder under `/var/tmp` (else `/tmp`) for `path`: `ondo-postgres-<hash of path>`, created for the
    /// server user with mode 0700, or reused if the server user already owns it.
    private static func fallbackDirectory(for path: String, user: ServerUser) throws -> String {
        let base = FileManager.default.isWritableFile(atPath: "/var/tmp") ? "/var/tmp" : "/tmp"
        let directory = base + "/ondo-postgres-" + String(fnv1a(path), radix: 16)
        var info = stat()
        if lstat(directory, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFDIR, info.st_uid == user.uid else {
                throw EmbeddedPostgresError(
                    code: .invalidDataDirectory,
                    message: "\(directory) exists but is not a folder owned by \(user.name); remove it, or choose "
                        + "a data folder that \(user.name) can reach")
            }
            return directory
        }
        guard mkdir(directory, 0o700) == 0 else {
            throw EmbeddedPostgresError(
                code: .invalidDataDirectory, message: "cannot create \(directory): \(String(cString: strerror(errno)))")
        }
        try user.takeOwnership(of: directory)
        return directory
    }

    /// Creates the missing folders above `path` with mode 0755 whatever the umask, so the server user can pass.
    private static func createSearchableParents(of path: String) throws {
        var missing: [String] = []
        var folder = (path as NSString).deletingLastPathComponent
        while !folder.isEmpty, folder != "/", !FileManager.default.fileExists(atPath: folder) {
            missing.append(folder)
            folder = (folder as NSString).deletingLastPathComponent
        }
        for folder in missing.reversed() {
            guard mkdir(folder, 0o755) == 0 || errno == EEXIST, chmod(folder, 0o755) == 0 else {
                throw EmbeddedPostgresError(
                    code: .invalidDataDirectory, message: "cannot create \(folder): \(String(cString: strerror(errno)))"
                )
            }
        }
    }

    /// The first existing entry on the way to `path` (its parents, then `path` itself) that is not a folder (after
    /// symbolic links); nil when there is none.
    private static func firstNonFolder(on path: String) -> String? {
        var prefix = ""
        for component in path.split(separator: "/") {
            prefix += "/" + component
            var info = stat()
            guard stat(prefix, &info) == 0 else { return nil }
            if info.st_mode & S_IFMT != S_IFDIR { return prefix }
        }
        return nil
    }

    private static func fnv1a(_ text: String) -> UInt64 {
        text.utf8.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
    }
}

extension ServerUser {
    /// True when the server runs as another user than the current one (the current user is root).
    var isSwitched: Bool { !commandPrefix.isEmpty }

    /// The first existing folder on the way to `path` (its parents, then `path` itself) that this user may not
    /// search, judged by owner, group and mode bits; nil when every one is open to it.
    func firstUnsearchableFolder(on path: String) -> String? {
        let groups = memberGroups()
        var prefix = ""
        for component in path.split(separator: "/") {
            prefix += "/" + component
            var info = stat()
            guard stat(prefix, &info) == 0 else { return nil }
            let bit: mode_t =
                info.st_uid == uid ? S_IXUSR : groups.contains(info.st_gid) ? S_IXGRP : S_IXOTH
            if info.st_mode & bit == 0 { return prefix }
        }
        return nil
    }

    /// This user's primary and supplementary groups.
    private func memberGroups() -> Set<gid_t> {
        var count: Int32 = 64
        var groups = [gid_t](repeating: 0, count: Int(count))
        if getgrouplist(name, gid, &groups, &count) < 0 {
            groups = [gid_t](repeating: 0, count: Int(count))
            _ = getgrouplist(name, gid, &groups, &count)
        }
        return Set(groups.prefix(Int(max(count, 0)))).union([gid])
    }
}
