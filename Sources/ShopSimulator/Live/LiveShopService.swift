import Logging
import Postgres
import ServiceLifecycle
import Synchronization

/// A ``LiveShopWriter`` as a service: it writes until its duration is over or the service group shuts down,
/// and keeps its latest figures readable by others (a live view).
public final class LiveShopService: Service, Sendable {
    /// The longest duration the commands accept, in seconds (about 31 years): a finite number far inside
    /// `Duration`'s range, so converting it cannot trap.
    public static let longestDurationSeconds = 1e9

    /// The writer.
    public let writer: LiveShopWriter
    /// How long to write; nil writes until shutdown.
    public let duration: Duration?
    private let pool: PostgresPool
    private let logger: Logger
    private let progress: @Sendable (LiveWriteStatistics) -> Void
    private let latest = Mutex(LiveWriteStatistics())
    private let finished = Mutex(false)

    /// A service writing `writer`'s events on `pool` (connected as the shop) for `duration`; `progress` hears
    /// the figures after every batch of inserts.
    public init(
        writer: LiveShopWriter, pool: PostgresPool, duration: Duration?, logger: Logger,
        progress: @escaping @Sendable (LiveWriteStatistics) -> Void = { _ in }
    ) {
        self.writer = writer
        self.pool = pool
        self.duration = duration
        self.logger = logger
        self.progress = progress
    }

    /// What has been written so far.
    public var statistics: LiveWriteStatistics { latest.withLock { $0 } }

    /// True once the writer stopped (its time was up, or the group shut down).
    public var isFinished: Bool { finished.withLock { $0 } }

    /// Writes until the duration is over or a graceful shutdown begins.
    public func run() async throws {
        defer { finished.withLock { $0 = true } }
        try await cancelWhenGracefulShutdown {
            let final = try await self.writer.run(pool: self.pool, duration: self.duration) { statistics in
                self.latest.withLock { $0 = statistics }
                self.progress(statistics)
            }
            self.latest.withLock { $0 = final }
        }
        logger.debug("live shop writer stopped", metadata: ["ondo.events": "\(statistics.events)"])
    }
}
