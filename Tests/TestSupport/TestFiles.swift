import EmbeddedPostgres
import Foundation

/// The test process's temporary files (configuration files, `ondo` processes' output), in one folder that a
/// watchdog process deletes when the test process exits — however it exits. `defer` and `atexit` are not
/// enough: Ctrl-C in `make test` ends the test process by SIGINT, which runs neither, and every interrupted run
/// used to leave its files in `/tmp`.
///
/// ```swift
/// let path = try TestFiles.path("ondo-config", suffix: ".json")
/// ```
public enum TestFiles {
    /// The folder, `/tmp/ondo-test-files.XXXXXX`, created (with its watchdog) on first use.
    public static func directory() throws -> String {
        try folder.get()
    }

    /// A new path in ``directory()``: `<prefix>-<UUID><suffix>` (nothing is created).
    public static func path(_ prefix: String, suffix: String = "") throws -> String {
        try directory() + "/\(prefix)-\(UUID().uuidString)\(suffix)"
    }

    private static let folder = Result<String, any Error> {
        let path = try EmbeddedPostgres.makeTemporaryDirectory(prefix: "ondo-test-files")
        try EmbeddedPostgres.removeWhenProcessExits([path])
        return path
    }
}
