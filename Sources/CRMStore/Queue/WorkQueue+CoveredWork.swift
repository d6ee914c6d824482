import Postgres

/// Completing queued work that someone else's work covered (``CustomerStateStore``'s recompute for `ondo states
/// recompute`): only the version of a row that was read before the covering work read its data.
extension WorkQueue {
    /// The rows of `keys` that are pending, each with the version of it this statement's snapshot sees (its `xmin`:
    /// the transaction that queued or last changed it), for ``completeUnchanged(_:on:)``.
    public func pendingVersions(_ keys: [Int64], on connection: PostgresConnection) throws -> PendingVersions {
        var versions = PendingVersions()
        guard !keys.isEmpty else { return versions }
        for row in try connection.query(
            """
            SELECT \(key) AS key, xmin::text AS version FROM \(qualifiedTable)
            WHERE \(key) = ANY(\(keys)) AND status = 'pending'
            ORDER BY \(key)
            """)
        {
            versions.versions[try row.decode(Int64.self, "key")] = try row.decode(String.self, "version")
        }
        return versions
    }

    /// Completes those of `versions` that are still pending in the version read, as a lease holder completes its
    /// rows (``complete(_:token:on:)``), and returns their keys in order. A row changed since it was read (re-queued
    /// by the shop, claimed by a server, made pending again by a sweep or a failure) has another `xmin` and is left
    /// as it is, and so is a row someone holds locked right now (a change in progress) rather than waited for.
    ///
    /// Under READ COMMITTED the UPDATE's snapshot is newer than the read's, and the row lock re-reads a row updated
    /// meanwhile in its newest committed version (which fails the `xmin` test): only the very version read, still
    /// the newest, is completed.
    public func completeUnchanged(_ versions: PendingVersions, on connection: PostgresConnection) throws -> [Int64] {
        guard !versions.versions.isEmpty else { return [] }
        let keys = versions.versions.keys.sorted()
        let xmins = keys.map { versions.versions[$0] ?? "" }
        return try connection.query(
            """
            WITH unchanged AS (
                SELECT work.\(key) FROM \(qualifiedTable) AS work
                JOIN unnest(\(keys)::bigint[], \(xmins)::text[]) AS seen (key, version) ON work.\(key) = seen.key
                WHERE work.status = 'pending' AND work.xmin = seen.version::xid
                FOR UPDATE OF work SKIP LOCKED
            )
            UPDATE \(qualifiedTable) AS work SET \(Self.completedNow)
            FROM unchanged WHERE work.\(key) = unchanged.\(key)
            RETURNING work.\(key) AS key
            """
        ).map { try $0.decode(Int64.self, "key") }.sorted()
    }
}

/// Pending rows of a work queue as one snapshot saw them (``WorkQueue/pendingVersions(_:on:)``).
public struct PendingVersions: Sendable, Equatable {
    /// Each row's `xmin` (as text) by key.
    var versions: [Int64: String] = [:]

    /// No rows.
    public init() {}

    /// Only the rows of `keys`.
    public func only(_ keys: some Sequence<Int64>) -> PendingVersions {
        var kept = PendingVersions()
        for key in keys { kept.versions[key] = versions[key] }
        return kept
    }
}
