import Foundation
import Postgres
import TestSupport

/// A PostgreSQL server, as a client sees it through a Unix socket, that takes cancel requests and never answers
/// them: connections are relayed to the test server, but one that starts with a CancelRequest packet is accepted
/// and then held open without a byte read or written, as a server that hangs would. libpq's `PQcancel` waits on
/// such a request until the socket closes, which ``release()`` does (and ``stop()``).
final class SilentCancelProxy: @unchecked Sendable {
    /// The folder of the proxy's socket (`host=` for libpq); the port is in its name.
    let directory: String
    let port = 5432
    private let listener: Int32
    private let upstream: Upstream
    private let held = LockedBox<[Int32]>([])
    private let heldCount = LockedBox(0)

    /// Where the test server listens.
    enum Upstream {
        case unixSocket(path: String)
        case tcp(host: String, port: Int)
    }

    /// Starts a proxy for the server `probe` is connected to.
    init(serverOf probe: PostgresConnection) throws {
        let row = try probe.query(
            """
            SELECT inet_server_addr()::text AS address, inet_server_port() AS tcp_port,
                   split_part(current_setting('unix_socket_directories'), ',', 1) AS socket_directory,
                   current_setting('port')::int AS port
            """)[0]
        if let address = try row.decode(String?.self, "address") {
            let host = address.split(separator: "/").first.map(String.init) ?? address
            upstream = .tcp(host: host, port: try row.decode(Int.self, "tcp_port"))
        } else {
            let folder = try row.decode(String.self, "socket_directory").trimmingCharacters(in: .whitespaces)
            upstream = .unixSocket(path: "\(folder)/.s.PGSQL.\(try row.decode(Int.self, "port"))")
        }
        var template = Array("/tmp/ondo-cancel-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw ProxyError("mkdtemp failed: errno \(errno)") }
        directory = String(cString: made)
        chmod(directory, 0o755)
        listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = try Self.unixAddress("\(directory)/.s.PGSQL.\(port)")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard listener >= 0, bound == 0, listen(listener, 16) == 0 else {
            throw ProxyError("cannot listen in \(directory): errno \(errno)")
        }
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    /// How many cancel requests the proxy holds unanswered.
    var heldRequests: Int { heldCount.mutate { $0 } }

    /// `configuration` with its host and port pointed at the proxy.
    func configuration(_ configuration: PostgresConfiguration, connectionString: String) throws
        -> PostgresConfiguration
    {
        var parsed = try PostgresConnectionString(connectionString)
        parsed["hostaddr"] = nil
        parsed["host"] = directory
        parsed["port"] = String(port)
        return PostgresConfiguration(
            connectionString: parsed.conninfo, passwordFile: configuration.passwordFile,
            applicationName: configuration.applicationName, connectTimeout: 10)
    }

    /// Closes the held requests' sockets: libpq's waits end.
    func release() {
        for socket in held.mutate({ held in
            defer { held = [] }; return held
        }) {
            shutdown(socket, Int32(SHUT_RDWR))
            close(socket)
        }
    }

    /// Stops accepting and releases what it holds.
    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        release()
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            guard client >= 0 else {
                if errno == EINTR { continue }
                return
            }
            let thread = Thread { [self] in serve(client) }
            thread.start()
        }
    }

    /// A CancelRequest packet begins with its length (16) and the code 80877102, both big-endian.
    private static let cancelRequestStart: [UInt8] = [0, 0, 0, 16, 0x04, 0xD2, 0x16, 0x2E]

    private func serve(_ client: Int32) {
        var start = [UInt8](repeating: 0, count: 8)
        let peeked = recv(client, &start, 8, Int32(MSG_PEEK | MSG_WAITALL))
        if peeked == 8 && start == Self.cancelRequestStart {
            held.mutate { $0.append(client) }
            heldCount.mutate { $0 += 1 }
            return
        }
        guard let server = try? connectUpstream() else {
            close(client)
            return
        }
        let back = Thread { Self.relay(from: server, to: client) }
        back.start()
        Self.relay(from: client, to: server)
    }

    private static func relay(from source: Int32, to target: Int32) {
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = read(source, &buffer, buffer.count)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            var written = 0
            while written < count {
                let step = buffer[written..<count].withUnsafeBytes { write(target, $0.baseAddress, $0.count) }
                guard step > 0 else { break }
                written += step
            }
            guard written == count else { break }
        }
        shutdown(source, Int32(SHUT_RDWR))
        shutdown(target, Int32(SHUT_RDWR))
    }

    private func connectUpstream() throws -> Int32 {
        switch upstream {
        case .unixSocket(let path):
            let server = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            var address = try Self.unixAddress(path)
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(server, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
            guard connected == 0 else { throw ProxyError("cannot reach \(path): errno \(errno)") }
            return server
        case .tcp(let host, let port):
            var hints = addrinfo()
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
            var found: UnsafeMutablePointer<addrinfo>?
            guard getaddrinfo(host, String(port), &hints, &found) == 0, let info = found else {
                throw ProxyError("cannot resolve \(host)")
            }
            defer { freeaddrinfo(found) }
            let server = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
            guard connect(server, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 else {
                throw ProxyError("cannot reach \(host):\(port): errno \(errno)")
            }
            return server
        }
    }

    private static func unixAddress(_ path: String) throws -> sockaddr_un {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8CString)
        guard bytes.count <= MemoryLayout.size(ofValue: address.sun_path) else {
            throw ProxyError("socket path too long: \(path)")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { target in
            bytes.withUnsafeBytes { target.copyMemory(from: $0) }
        }
        return address
    }
}

struct ProxyError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
