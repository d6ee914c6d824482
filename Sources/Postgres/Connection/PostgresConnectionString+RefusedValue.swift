import Foundation

extension PostgresConnectionString {
    /// The first value libpq 15 refuses before it opens a socket, in libpq's words, or nil. `PQconninfoParse`
    /// accepts `port=notaport` or `sslmode=on`; `PQconnectdbParams` then fails at once, the same way on every try,
    /// with an error that looked like a server that is down and was retried for a minute. Checked here: the
    /// numbers of hosts, addresses and ports, each port (`PQconnectPoll`), and the settings with a fixed set of
    /// values (`connectOptions2`). Empty values are left alone: libpq reads some of them as "the default".
    public var refusedValue: String? {
        countMismatch ?? portProblem ?? enumerationProblem
    }

    /// The settings with a fixed set of values that libpq checks (case-sensitively) before connecting.
    static let enumerations: [(key: String, values: [String])] = [
        ("channel_binding", ["disable", "prefer", "require"]),
        ("sslmode", ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"]),
        ("gssencmode", ["disable", "prefer", "require"]),
        ("target_session_attrs", ["any", "read-write", "read-only", "primary", "standby", "prefer-standby"]),
    ]

    /// libpq counts the hosts in `hostaddr`, else `host`, else one; `port` holds one port or one per host. Missing
    /// from the string, each may come from libpq's environment (`PGHOST`, …), and all of them from a `service`
    /// file, which is not read here: then nothing is counted.
    private var countMismatch: String? {
        guard self["service"] == nil else { return nil }
        let environment = ProcessInfo.processInfo.environment
        func list(_ key: String, _ variable: String) -> Int? {
            guard let value = self[key] ?? environment[variable], !value.isEmpty else { return nil }
            return Self.elementCount(value)
        }
        let hosts = list("host", "PGHOST")
        let addresses = list("hostaddr", "PGHOSTADDR")
        if let hosts, let addresses, hosts != addresses {
            return "could not match \(hosts) host names to \(addresses) hostaddr values"
        }
        let targets = addresses ?? hosts ?? 1
        if let ports = list("port", "PGPORT"), ports != 1, ports != targets {
            return "could not match \(ports) port numbers to \(targets) hosts"
        }
        return nil
    }

    private var portProblem: String? {
        guard let ports = self["port"] else { return nil }
        for port in ports.split(separator: ",", omittingEmptySubsequences: false) where !port.isEmpty {
            guard let number = Self.libpqInteger(String(port)) else {
                return "invalid integer value \"\(port)\" for connection option \"port\""
            }
            guard (1...65_535).contains(number) else { return "invalid port number: \"\(port)\"" }
        }
        return nil
    }

    private var enumerationProblem: String? {
        for (key, values) in Self.enumerations {
            if let value = self[key], !value.isEmpty, !values.contains(value) {
                return "invalid \(key) value: \"\(value)\""
            }
        }
        return nil
    }

    /// libpq's count of a comma-separated list: one more than its commas.
    private static func elementCount(_ list: String) -> Int {
        list.count(where: { $0 == "," }) + 1
    }

    /// The integer libpq's `parse_int_param` reads from `text` (`strtol`, whitespace around it allowed, within
    /// `int`), or nil where libpq says "invalid integer value".
    static func libpqInteger(_ text: String) -> Int? {
        text.withCString { start -> Int? in
            var end: UnsafeMutablePointer<CChar>?
            errno = 0
            let number = strtol(start, &end, 10)
            guard var end, end != UnsafeMutablePointer(mutating: start), errno == 0, Int32(exactly: number) != nil
            else { return nil }
            while end.pointee != 0 && isspace(Int32(UInt8(bitPattern: end.pointee))) != 0 { end += 1 }
            return end.pointee == 0 ? number : nil
        }
    }
}
