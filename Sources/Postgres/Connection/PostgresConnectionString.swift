import CLibPQ

/// A libpq connection string (URI `postgresql://…` or `key=value …`) split into its parameters by libpq itself.
///
/// Used to redact connection strings for display, and to derive one connection string from another (the same
/// server as a different user or database) without hand-written parsing.
public struct PostgresConnectionString: Sendable, Hashable, CustomStringConvertible {
    /// The parameters that were set, in libpq's order (`host`, `port`, `user`, `dbname`, …).
    public private(set) var parameters: [(key: String, value: String)]

    /// Parses `text` with `PQconninfoParse`; an empty string means "all libpq defaults".
    ///
    /// The error never repeats the connection string (it may hold a password).
    public init(_ text: String) throws {
        var errorMessage: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(text, &errorMessage) else {
            var message = "the database connection string is not valid"
            if let errorMessage {
                message += ": " + Self.shownReason(String(cString: errorMessage).trimmingTrailingNewlines())
                PQfreemem(errorMessage)
            }
            throw PostgresError(code: .configuration, message: message)
        }
        defer { PQconninfoFree(options) }
        var parameters: [(String, String)] = []
        var option = options
        while let keyword = option.pointee.keyword {
            if let value = option.pointee.val {
                parameters.append((String(cString: keyword), String(cString: value)))
            }
            option += 1
        }
        self.parameters = parameters
    }

    /// Why `text` can never be used to connect, as libpq would say it, or nil: libpq cannot parse it
    /// (``init(_:)``), or a value libpq refuses before it opens a socket (``refusedValue``). Such a string is a
    /// mistake in the configuration, not a server that is down: no retry can mend it.
    public static func problem(in text: String) -> String? {
        do {
            return try PostgresConnectionString(text).refusedValue
        } catch {
            let message = (error as? PostgresError)?.message ?? "\(error)"
            return message.hasPrefix(invalidPrefix) ? String(message.dropFirst(invalidPrefix.count)) : message
        }
    }

    /// What a ``PostgresError`` for a connection string that can never work begins with.
    static let invalidPrefix = "the database connection string is not valid: "

    /// libpq's reason for refusing a connection string, with every quoted part that may be a piece of a password
    /// (a whole URI, a percent-encoded token, a word of an unquoted value) shown as `"…"`. A keyword libpq
    /// does not know is kept: it says what to fix ("invalid connection option "hots"").
    static func shownReason(_ reason: String) -> String {
        let namesAKeyword = ["invalid connection option ", "invalid URI query parameter: "].contains {
            reason.hasPrefix($0)
        }
        let parts = reason.split(separator: "\"", omittingEmptySubsequences: false)
        return parts.enumerated().map { index, part in
            let quoted = index % 2 == 1 && index < parts.count - 1
            guard quoted else { return String(part) }
            let keyword = namesAKeyword && part.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
            let syntax = part.count == 1 && part.allSatisfy { "=]:/".contains($0) }
            return keyword || syntax ? String(part) : "…"
        }.joined(separator: "\"")
    }

    /// The value of `key` (`"host"`, `"dbname"`, …), if set.
    public subscript(key: String) -> String? {
        get { parameters.first { $0.key == key }?.value }
        set {
            parameters.removeAll { $0.key == key }
            if let newValue { parameters.append((key, newValue)) }
        }
    }

    /// The `key='value' …` form libpq accepts (values quoted and escaped).
    public var conninfo: String {
        parameters.map { key, value in
            let escaped = value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'")
            return "\(key)='\(escaped)'"
        }.joined(separator: " ")
    }

    /// `user@host:port/dbname` — never the password or other parameters.
    /// A URI libpq reads back to the same hosts, ports, user and database, so that it can be copied into `psql`: a
    /// socket directory (`/tmp/ondo-pg.x`) or an odd character is percent-encoded, an IPv6 address bracketed.
    public var description: String {
        let user = self["user"].map { Self.percentEncoded($0) + "@" } ?? ""
        let database = self["dbname"].map { "/" + Self.percentEncoded($0) } ?? ""
        return "postgresql://" + user + hostsAndPorts + database
    }

    /// `host:port`, comma-separated for several hosts (libpq gives one port to all of them, or one each).
    private var hostsAndPorts: String {
        let host = self["host"] ?? self["hostaddr"] ?? "localhost"
        let hosts = host.split(separator: ",", omittingEmptySubsequences: false)
        let ports = self["port"]?.split(separator: ",", omittingEmptySubsequences: false) ?? []
        return hosts.enumerated().map { index, host in
            let uriHost = host.contains(":") && !host.hasPrefix("/") ? "[\(host)]" : Self.percentEncoded(String(host))
            let port = ports.count == hosts.count ? ports[index] : ports.count == 1 ? ports[0] : nil
            return uriHost + (port.map { ":" + Self.percentEncoded(String($0)) } ?? "")
        }.joined(separator: ",")
    }

    /// Every byte outside RFC 3986's unreserved characters as `%XX`.
    private static func percentEncoded(_ text: String) -> String {
        var encoded = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF")
                encoded += "%" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 0xF)])
            }
        }
        return encoded
    }

    /// Parameter-wise equality.
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.parameters.elementsEqual(rhs.parameters) { $0.key == $1.key && $0.value == $1.value }
    }

    /// Parameter-wise hash.
    public func hash(into hasher: inout Hasher) {
        for (key, value) in parameters {
            hasher.combine(key)
            hasher.combine(value)
        }
    }
}

extension String {
    func trimmingTrailingNewlines() -> String {
        var text = self
        while let last = text.last, last.isNewline { text.removeLast() }
        return text
    }
}
