import CRMStore
import Postgres
import ServiceLifecycle

/// Listens for the queue triggers' NOTIFY on its own connection and wakes the workers. After a lost
/// connection it listens again and wakes the workers anyway: notifications sent meanwhile were lost, and the
/// workers' next claim is the catch-up scan.
struct QueueNotifications: Service, CustomStringConvertible {
    /// ServiceLifecycle logs each service at debug level, and a service that stops on its own is named in an error:
    /// the name only. Printed whole, the context it holds made a log line of about 200 KB.
    var description: String { "queue notification listener" }

    let context: PipelineContext
    let configuration: PostgresConfiguration

    func run() async throws {
        let listener = PostgresListener(
            configuration: configuration,
            channels: WorkQueue.Table.allCases.map(WorkQueue.channel),
            logger: context.logger,
            poolerAdvice: """
                set database.listenUrl (ONDO_DATABASE_LISTEN_URL) to a connection string that reaches PostgreSQL \
                directly, or use session pooling
                """)
        listener.start()
        await withGracefulShutdownHandler {
            for await event in listener.events {
                switch event {
                case .listening:
                    context.signal.ring()
                case .reconnected:
                    context.logger.notice("notification listener reconnected; catching up on missed work")
                    context.signal.ring()
                case .notification:
                    context.signal.ring()
                case .connectionLost(let error):
                    context.logger.warning(
                        "notification listener lost its connection", metadata: ["ondo.error": "\(error)"])
                }
            }
        } onGracefulShutdown: {
            listener.stop()
        }
    }
}
