import Foundation
import Logging

/// Receives `NOTIFY` messages on a dedicated connection and thread, as an async sequence of events.
///
/// The thread sleeps in `poll` on the connection's socket (no busy polling). When the connection is lost, it
/// reconnects with exponential backoff, issues `LISTEN` again and emits `.reconnected`: notifications sent
/// while it was disconnected are lost, so consumers should then look for work they missed.
///
/// ```swift
/// let listener = PostgresListener(configuration: config, channels: ["ondo_review_work"], logger: logger)
/// listener.start()
/// for await event in listener.events {
///     switch event {
///     case .listening, .reconnected: scanForMissedWork()
///     case .notification(let note): wakeWorkers(note)
///     case .connectionLost(let error): logger.warning("listener lost its connection: \(error)")
///     }
/// }
/// ```
public final class PostgresListener: Sendable {
    /// Something that happened on the listening connection.
    public enum Event: Sendable {
        /// The first connection is up and every channel is listened to.
        case listening
        /// After a lost connection: a new one is up and listening again; notifications may have been missed.
        case reconnected
        /// A notification arrived.
        case notification(PostgresNotification)
        /// The connection failed or could not be opened; a retry follows after a delay.
        case connectionLost(PostgresError)
    }

    /// The events, for one consumer. The sequence ends after `stop()`.
    public let events: AsyncStream<Event>
    private let continuation: AsyncStream<Event>.Continuation
    private let configuration: PostgresConfiguration
    private let channels: [String]
    private let logger: Logger
    private let initialDelay: Duration
    private let maximumDelay: Duration
    private let poolerAdvice: String
    private let control = Locked(Control())

    private struct Control {
        var started = false
        var stopped = false
        var wakeRead: Int32 = -1
        var wakeWrite: Int32 = -1
    }

    /// Creates a stopped listener for `channels` (names are escaped with `PQescapeIdentifier`). `poolerAdvice` ends
    /// the warning logged when the connection turns out to go through a pooler: what to do about it, in the words
    /// of the application's own settings.
    public init(
        configuration: PostgresConfiguration,
        channels: [String],
        logger: Logger,
        initialReconnectDelay: Duration = .milliseconds(100),
        maximumReconnectDelay: Duration = .seconds(5),
        poolerAdvice: String = "point the listener past the pooler or use session pooling"
    ) {
        (events, continuation) = AsyncStream.makeStream(of: Event.self)
        self.configuration = configuration
        self.channels = channels
        self.logger = logger
        self.initialDelay = initialReconnectDelay
        self.maximumDelay = maximumReconnectDelay
        self.poolerAdvice = poolerAdvice
    }

    deinit {
        stop()
    }

    /// Starts the listening thread (once; later calls do nothing).
    public func start() {
        let shouldStart = control.withLock { control -> Bool in
            guard !control.started, !control.stopped else { return false }
            var descriptors: [Int32] = [-1, -1]
            guard pipe(&descriptors) == 0 else { return false }
            control.wakeRead = descriptors[0]
            control.wakeWrite = descriptors[1]
            control.started = true
            return true
        }
        guard shouldStart else { return }
        continuation.onTermination = { [weak self] _ in self?.stop() }
        let thread = Thread { [self] in self.run() }
        thread.name = "ondo.postgres.listener"
        thread.start()
    }

    /// Stops listening, closes the connection and ends `events`. Safe to call more than once.
    public func stop() {
        let woken = control.withLock { control -> Bool in
            let wasStopped = control.stopped
            control.stopped = true
            guard control.started, !wasStopped else { return false }
            // Written under the lock: the thread may see `stopped`, end and close the pipe at any moment, and a
            // descriptor number written to after that could already belong to another file or socket.
            var byte: UInt8 = 1
            _ = write(control.wakeWrite, &byte, 1)
            return true
        }
        if !woken { continuation.finish() }
    }

    private var isStopped: Bool { control.withLock { $0.stopped } }

    private func run() {
        let wakeRead = control.withLock { $0.wakeRead }
        var delay = initialDelay
        var hasListened = false
        while !isStopped {
            do {
                let connection = try PostgresConnection(configuration: configuration, logger: logger)
                defer { connection.close() }
                for channel in channels {
                    try connection.execute("LISTEN \(identifier: channel)")
                }
                if connection.isPooled {
                    // A transaction pooler gives the LISTEN's server connection to other clients and never passes
                    // its notifications on; a session pooler keeps it, and they arrive.
                    logger.warning(
                        """
                        listening for notifications through a connection pooler: in transaction pooling none arrive, \
                        and queued work is found by polling only; \(poolerAdvice)
                        """,
                        metadata: ["ondo.db": "\(connection.endpoint)"])
                }
                continuation.yield(hasListened ? .reconnected : .listening)
                logger.debug(
                    hasListened ? "listener reconnected" : "listener started",
                    metadata: ["ondo.channels": "\(channels)"])
                hasListened = true
                delay = initialDelay
                if try connection.awaitNotifications(
                    wakeDescriptor: wakeRead,
                    deliver: { note in
                        continuation.yield(.notification(note))
                    })
                {
                    break
                }
            } catch {
                guard !isStopped else { break }
                let failure = (error as? PostgresError) ?? PostgresError(code: .connectionClosed, message: "\(error)")
                logger.debug("listener connection lost", metadata: ["ondo.error": "\(failure)"])
                continuation.yield(.connectionLost(failure))
                if sleep(delay, wakeDescriptor: wakeRead) { break }
                delay = min(delay * 2, maximumDelay)
            }
        }
        control.withLock { control in
            close(control.wakeRead)
            close(control.wakeWrite)
            control.wakeRead = -1
            control.wakeWrite = -1
        }
        continuation.finish()
    }

    /// Waits `delay` or until woken; returns true when woken (stopping).
    private func sleep(_ delay: Duration, wakeDescriptor: Int32) -> Bool {
        let (seconds, attoseconds) = delay.components
        let milliseconds = Int32(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000)
        var descriptor = pollfd(fd: wakeDescriptor, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, milliseconds) > 0
    }
}
