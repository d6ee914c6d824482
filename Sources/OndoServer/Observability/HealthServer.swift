import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// The HTTP endpoint for operators: `/healthz` (the process is alive), `/readyz` (it can do its
/// job) and `/metrics` (Prometheus text format).
public struct HealthServer: Service, CustomStringConvertible {
    private let host: String
    private let port: Int
    private let metrics: PipelineMetrics
    private let readiness: Readiness
    private let logger: Logger
    private let onListening: @Sendable (Int) async -> Void

    /// Creates the server; `port` 0 picks a free port, reported to `onListening` once bound.
    public init(
        host: String, port: Int, metrics: PipelineMetrics, readiness: Readiness, logger: Logger,
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) {
        self.host = host
        self.port = port
        self.metrics = metrics
        self.readiness = readiness
        self.logger = logger
        self.onListening = onListening
    }

    /// The name and the address, for ServiceLifecycle's debug lines: printed whole, the metrics it holds made a log
    /// line of about 200 KB.
    public var description: String { "HTTP endpoint \(host) port \(port)" }

    /// Serves until the service group shuts down.
    public func run() async throws {
        let router = Router()
        let readiness = readiness
        let metrics = metrics
        router.get("healthz") { _, _ in "ok\n" }
        router.get("readyz") { _, _ -> Response in
            if let reason = readiness.notReadyReason {
                return Response(
                    status: .serviceUnavailable,
                    body: ResponseBody(byteBuffer: ByteBuffer(string: "not ready: \(reason)\n")))
            }
            return Response(status: .ok, body: ResponseBody(byteBuffer: ByteBuffer(string: "ready\n")))
        }
        router.get("metrics") { _, _ -> Response in
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(
                status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: metrics.exposition())))
        }
        let logger = logger
        let onListening = onListening
        let listening = Mutex(false)
        let app = Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in
                listening.withLock { $0 = true }
                let bound = channel.localAddress?.port ?? 0
                logger.info("HTTP endpoint listening", metadata: ["ondo.http_port": "\(bound)"])
                await onListening(bound)
            },
            logger: logger)
        // Hummingbird's server, when cancelled, logs errors although nothing is wrong ("Waiting on child channel:
        // CancellationError()", "Server shutdown error: …"), and a shutdown cut short cancels every service (see
        // ShutdownLimit). So the server runs in a task of its own, which the cancellation does not reach, and is shut
        // down gracefully on either: it stops listening and answers the requests in hand, which take microseconds.
        let serving = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [.init(service: app)], gracefulShutdownSignals: [], cancellationSignals: [], logger: logger))
        let running = Task { try await serving.run() }
        do {
            try await withTaskCancellationOrGracefulShutdownHandler {
                try await running.value
            } onCancelOrGracefulShutdown: {
                Task { await serving.triggerGracefulShutdown() }
            }
        } catch  where !listening.withLock({ $0 }) {
            // NIO's bind error names a system call ("bind(descriptor:ptr:bytes:): Address already in use) (errno:
            // 98)"), not the address the operator configured, nor the settings that may have chosen it.
            let reason = (error as? IOError).map { String(cString: strerror($0.errnoCode)) } ?? "\(error)"
            throw ConfigurationError(
                code: .invalidValue,
                message: "cannot listen for HTTP on \(host) port \(port) (server.httpHost, ONDO_HTTP_HOST or "
                    + "--http-host; server.httpPort, ONDO_HTTP_PORT or --http-port): \(reason)")
        }
    }
}
