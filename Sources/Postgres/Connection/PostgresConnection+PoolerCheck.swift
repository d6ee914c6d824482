extension PostgresConnection {
    /// The settings Ondo sends in the `options` startup parameter and its decoders rely on, as `current_setting`
    /// reports them.
    static let settingsDecodersNeed: [(name: String, value: String)] = [
        ("DateStyle", "ISO, YMD"), ("TimeZone", "UTC"), ("bytea_output", "hex"), ("IntervalStyle", "iso_8601"),
    ]

    /// Asks the server which process serves the session and what its settings are. A connection pooler hands out a
    /// process id of its own (`PQbackendPID` is not `pg_backend_pid()`): then named prepared statements are not used
    /// (a transaction pooler runs the next statement on another server connection, which has none or another
    /// client's under the same name), and the settings the decoders need must have survived the pooler — PgBouncer
    /// 1.18 refuses `options`, or drops it with `ignore_startup_parameters = options` — or the connection is
    /// refused, naming where to set them. A `statement_timeout` lost the same way is only warned about.
    func checkForPooler(statementTimeoutMilliseconds: Int?) throws {
        let row = try query(
            """
            SELECT pg_catalog.pg_backend_pid() AS pid,
                (SELECT setting FROM pg_catalog.pg_settings WHERE name = 'statement_timeout') AS statement_timeout,
                pg_catalog.current_setting('DateStyle') AS "DateStyle",
                pg_catalog.current_setting('TimeZone') AS "TimeZone",
                pg_catalog.current_setting('bytea_output') AS bytea_output,
                pg_catalog.current_setting('IntervalStyle') AS "IntervalStyle"
            """
        ).first
        guard let row, try row.decode(Int32.self, "pid") != backendPID else { return }
        isPooled = true
        let values = try Self.settingsDecodersNeed.map { try row.decode(String.self, $0.name) }
        let wrong = zip(Self.settingsDecodersNeed, values).filter { $0.0.value != $0.1 }
        if !wrong.isEmpty {
            throw PostgresError(
                code: .configuration,
                message: "connected through a connection pooler that did not pass on the session settings Ondo sends "
                    + "in the options startup parameter: "
                    + wrong.map { "\($0.0.name) is \($0.1) (Ondo needs \($0.0.value))" }.joined(separator: ", ")
                    + "; set them for the database or the login (ALTER DATABASE … SET "
                    + wrong.map { "\($0.0.name) = '\($0.0.value)'" }.joined(separator: ", ")
                    + "), or, for DateStyle and TimeZone, on PgBouncer's database entry "
                    + "(datestyle=ISO,YMD timezone=UTC)")
        }
        let timeout = try row.decode(String.self, "statement_timeout")
        if let statementTimeoutMilliseconds, timeout != String(statementTimeoutMilliseconds) {
            let advice =
                "connected through a connection pooler that did not pass on statement_timeout; set it for the login "
                + "(ALTER ROLE … SET statement_timeout = \(statementTimeoutMilliseconds))"
            logger.warning(
                "\(advice)",
                metadata: ["ondo.db": "\(endpoint)", "ondo.statement_timeout_ms": "\(timeout)"])
        }
    }
}
