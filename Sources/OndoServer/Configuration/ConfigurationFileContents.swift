import Foundation

/// The bytes of a configuration file, or an error saying why there are none: "cannot read the configuration file
/// adir" left the operator to find out whether it was missing, a folder or closed to them.
enum ConfigurationFileContents {
    /// The content of `path`; `source` names the setting that chose the file (`--config`, `ONDO_CONFIG`), if any.
    static func read(_ path: String, namedBy source: String?) throws -> Data {
        let named = source.map { " (named by \($0))" } ?? ""
        func refusal(_ why: String) -> ConfigurationError {
            ConfigurationError(
                code: .invalidFile, message: "cannot read the configuration file \(path)\(named): \(why)")
        }
        var status = stat()
        guard stat(path, &status) == 0 else {
            let reason = errno
            throw refusal(reason == ENOENT ? "it does not exist" : String(cString: strerror(reason)))
        }
        if status.st_mode & S_IFMT == S_IFDIR { throw refusal("it is a folder, not a file") }
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw refusal(String(cString: strerror(errno))) }
        close(descriptor)
        guard let data = FileManager.default.contents(atPath: path) else { throw refusal("it could not be read") }
        return data
    }
}
