import Postgres

extension PostgresTransactionOptions {
    /// For every transaction that recomputes customer states: READ COMMITTED whatever the database's or role's
    /// default. A recompute takes its customers' locks first and then reads their facts; only a statement
    /// snapshot taken after the locks sees what the transaction it waited for committed. Under REPEATABLE READ
    /// the snapshot would predate the wait and the state upsert would fail with a serialization error.
    public static let recompute = PostgresTransactionOptions.readCommitted
}
