import EmbeddedPostgres

/// A test's own throwaway PostgreSQL cluster in a folder of its own (``TestClusterFolder``): not durable, its data
/// in `base/data` and its Unix socket in `base/run`, stopped when the test process exits if not before.
public enum ThrowawayCluster {
    /// The options of a throwaway cluster in `base`, listening on `port`'s socket name.
    public static func options(in base: String, port: Int = EmbeddedPostgres.Options().port) -> EmbeddedPostgres.Options
    {
        var options = EmbeddedPostgres.Options()
        options.durable = false
        options.socketDirectory = base + "/run"
        options.port = port
        return options
    }

    /// Starts the cluster of `base` with `options` (see ``options(in:port:)``); when the test process exits it is
    /// stopped, and `base` removed too when `removingFolder`.
    public static func start(
        in base: String, options: EmbeddedPostgres.Options, removingFolder: Bool = false
    ) throws -> EmbeddedPostgres {
        let server = try EmbeddedPostgres.start(
            dataDirectory: base + "/data", options: options, logger: TestPostgres.logger)
        try server.stopWhenProcessExits(removing: removingFolder ? base : nil)
        return server
    }
}
