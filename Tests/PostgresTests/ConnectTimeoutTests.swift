import Foundation
import Logging
import Postgres
import Testing

/// A server that takes the connection and never answers (a host behind a firewall that drops packets, a server
/// stopped with SIGSTOP) failed every command after the connect timeout with libpq's words alone, "connection to
/// server … failed: timeout expired": nothing said how long it had waited, or that a setting decides it.
@Suite struct ConnectTimeoutTests {
    @Test func aServerThatNeverAnswersIsNamedWithTheTimeWaited() throws {
        var template = Array("/tmp/ondo-silent-XXXXXX".utf8CString)
        let folder = try #require(mkdtemp(&template).map { String(cString: $0) })
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // Listens and never accepts: the kernel completes the connection, and the startup packet waits unanswered.
        let listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let path = Array("\(folder)/.s.PGSQL.5432".utf8CString)
        withUnsafeMutableBytes(of: &address.sun_path) { target in path.withUnsafeBytes { target.copyMemory(from: $0) } }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        #expect(bound == 0 && listen(listener, 4) == 0)

        let configuration = PostgresConfiguration(
            connectionString: "host=\(folder) port=5432 dbname=ondo user=nobody", connectTimeout: 2)
        let started = ContinuousClock.now
        #expect {
            _ = try PostgresConnection(configuration: configuration, logger: Logger(label: "test"))
        } throws: { error in
            let message = (error as? PostgresError)?.message ?? ""
            return message.contains("timeout expired (no answer within 2 s, the connect timeout)")
        }
        #expect(started.duration(to: .now) < .seconds(10))
    }
}
