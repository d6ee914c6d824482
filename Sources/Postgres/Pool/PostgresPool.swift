import Dispatch
import Logging

/// A bounded set of connections shared by concurrent tasks.
///
/// Each connection lives on its own serial dispatch queue, and the closures you pass run there, so blocking
/// libpq calls never occupy Swift's cooperative thread pool. At most `maxConnections` sessions are open; extra
/// callers wait their turn (cancellable). A connection that broke (the server terminated it, the network
/// dropped) is detected and replaced on its next checkout; the statement that was running when it broke fails
/// with code `.connectionClosed`.
///
/// ```swift
/// let pool = PostgresPool(configuration: config, maxConnections: 4, logger: logger)
/// let count = try await pool.withConnection { conn in
///     try conn.queryValue(Int64.self, "SELECT count(*) FROM shop.reviews WHERE customer_id = \(id)")
/// }
/// try await pool.withTransaction { conn in
///     try conn.execute("UPDATE crm.review_work SET status = 'completed' WHERE review_id = \(reviewID)")
/// }
/// await pool.close()
/// ```
public final class PostgresPool: Sendable {
    /// Where and how connections are opened.
    public let configuration: PostgresConfiguration
    /// The most sessions this pool opens at once.
    public let maxConnections: Int
    /// Whether cancelling a task cancels the statement its closure runs (see the initialiser).
    public let cancelsStatementsOfCancelledTasks: Bool
    let logger: Logger
    private let state = Locked(State())

    private struct State {
        var idle: [PooledConnection] = []
        var slotCount = 0
        var waiters: [(id: UInt64, continuation: CheckedContinuation<PooledConnection, any Error>)] = []
        var nextWaiterID: UInt64 = 0
        var closed = false
        var inUse = 0
    }

    /// What the pool is doing right now.
    public struct Statistics: Sendable, Hashable {
        /// Connection slots created so far (never more than `maxConnections`).
        public var slots: Int
        /// Slots lent out right now.
        public var inUse: Int
        /// Tasks waiting for a slot.
        public var waiting: Int
    }

    /// Creates a pool; no connection is opened until the first checkout.
    ///
    /// With `cancelsStatementsOfCancelledTasks`, cancelling a task whose closure runs on a connection cancels the
    /// statement running there (``PostgresCancelHandle``) and refuses the closure's later statements: they throw
    /// code `.cancelled`, a transaction is rolled back, and the task gets its connection back at once instead of
    /// when a statement waiting on a lock ends. Without it a closure always runs to its end, as code that writes in
    /// several transactions and counts what it wrote may need.
    public init(
        configuration: PostgresConfiguration, maxConnections: Int = 4, cancelsStatementsOfCancelledTasks: Bool = false,
        logger: Logger
    ) {
        precondition(maxConnections > 0, "a pool needs at least one connection")
        self.configuration = configuration
        self.maxConnections = maxConnections
        self.cancelsStatementsOfCancelledTasks = cancelsStatementsOfCancelledTasks
        self.logger = logger
    }

    /// True when called from a pool closure, i.e. on a connection's own queue and not on Swift's cooperative
    /// thread pool. Useful in assertions.
    public static var isOnConnectionQueue: Bool {
        DispatchQueue.getSpecific(key: PooledConnection.queueKey) ?? false
    }

    /// The current counts.
    public var statistics: Statistics {
        state.withLock { Statistics(slots: $0.slotCount, inUse: $0.inUse, waiting: $0.waiters.count) }
    }

    /// Runs `body` with a connection of its own, on that connection's thread; returns what `body` returns.
    ///
    /// The connection is opened (or reopened after a failure) as needed. If `body` leaves a transaction open,
    /// it is rolled back before the connection is reused.
    @discardableResult
    public func withConnection<Result: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection) throws -> Result
    ) async throws -> Result {
        let pooled = try await checkout()
        defer { checkin(pooled) }
        return try await pooled.run(
            configuration: configuration, cancellable: cancelsStatementsOfCancelledTasks, logger: logger, body)
    }

    /// Runs `body` in a transaction on a pooled connection: committed when it returns, rolled back when it throws.
    @discardableResult
    public func withTransaction<Result: Sendable>(
        _ options: PostgresTransactionOptions = PostgresTransactionOptions(),
        _ body: @escaping @Sendable (PostgresConnection) throws -> Result
    ) async throws -> Result {
        try await withConnection { connection in
            try connection.withTransaction(options) { try body($0) }
        }
    }

    /// Runs one statement on a pooled connection and returns its rows.
    @discardableResult
    public func query(_ query: PostgresQuery, prepared: Bool = false) async throws -> PostgresRows {
        try await withConnection { try $0.query(query, prepared: prepared) }
    }

    /// Runs one statement on a pooled connection and returns the number of rows it affected.
    @discardableResult
    public func execute(_ query: PostgresQuery, prepared: Bool = false) async throws -> Int {
        try await withConnection { try $0.execute(query, prepared: prepared) }
    }

    /// Closes idle connections now and the others when they come back; waiting and later callers get
    /// `.poolClosed`.
    public func close() async {
        let (idle, waiters) = state.withLock { state in
            state.closed = true
            defer {
                state.idle = []
                state.waiters = []
            }
            return (state.idle, state.waiters)
        }
        for waiter in waiters {
            waiter.continuation.resume(throwing: PostgresError(code: .poolClosed, message: "the pool is closed"))
        }
        for pooled in idle {
            await pooled.close()
        }
    }

    private enum Checkout {
        case ready(PooledConnection)
        case failed(PostgresError)
        case queued
    }

    private func checkout() async throws -> PooledConnection {
        let waiterID = state.withLock { state in
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let decision = state.withLock { state -> Checkout in
                    if state.closed { return .failed(PostgresError(code: .poolClosed, message: "the pool is closed")) }
                    if Task.isCancelled {
                        return .failed(
                            PostgresError(code: .cancelled, message: "cancelled while waiting for a connection"))
                    }
                    if let pooled = state.idle.popLast() {
                        state.inUse += 1
                        return .ready(pooled)
                    }
                    if state.slotCount < maxConnections {
                        state.slotCount += 1
                        state.inUse += 1
                        return .ready(PooledConnection(number: state.slotCount))
                    }
                    state.waiters.append((waiterID, continuation))
                    return .queued
                }
                switch decision {
                case .ready(let pooled): continuation.resume(returning: pooled)
                case .failed(let error): continuation.resume(throwing: error)
                case .queued: break
                }
            }
        } onCancel: {
            let waiter = state.withLock { state in
                state.waiters.firstIndex { $0.id == waiterID }.map { state.waiters.remove(at: $0) }
            }
            waiter?.continuation.resume(
                throwing: PostgresError(code: .cancelled, message: "cancelled while waiting for a connection"))
        }
    }

    private func checkin(_ pooled: PooledConnection) {
        let next = state.withLock { state -> CheckedContinuation<PooledConnection, any Error>? in
            if state.closed {
                state.inUse -= 1
                return nil
            }
            if !state.waiters.isEmpty {
                return state.waiters.removeFirst().continuation
            }
            state.inUse -= 1
            state.idle.append(pooled)
            return nil
        }
        if let next {
            next.resume(returning: pooled)
        } else if state.withLock({ $0.closed }) {
            pooled.closeLater()
        }
    }
}
