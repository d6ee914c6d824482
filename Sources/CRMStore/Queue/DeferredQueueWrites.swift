import Postgres

/// Applies the queue calls that shop transactions outside READ COMMITTED deferred (migration 0018).
///
/// At REPEATABLE READ or SERIALIZABLE the shop's triggers must not update queue rows that Ondo's workers update,
/// or the shop's statement fails with a serialization error; they append their calls to `crm.deferred_work`
/// instead, and the lease sweeper applies them here on every sweep.
public enum DeferredQueueWrites {
    /// Applies up to `limit` deferred calls, oldest first, skipping those another process is applying; returns
    /// how many. Runs in a READ COMMITTED transaction whatever the session's default (at another level each call
    /// would be deferred again, and the database function refuses); inside a caller's transaction, at its level.
    @discardableResult
    public static func apply(limit: Int, on connection: PostgresConnection) throws -> Int {
        try connection.withTransaction(.readCommitted) {
            try $0.queryValue(Int.self, "SELECT crm.apply_deferred_work(\(Int32(clamping: limit)))")
        }
    }

    /// How many deferred calls wait to be applied.
    public static func waiting(on connection: PostgresConnection) throws -> Int {
        try connection.queryValue(Int.self, "SELECT count(*) FROM crm.deferred_work")
    }
}
