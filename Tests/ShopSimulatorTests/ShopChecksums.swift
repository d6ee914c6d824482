import Postgres
import TestSupport

/// What a generated shop looks like in the database: row counts and an MD5 of every row's text, per table.
struct ShopChecksums: Equatable, CustomStringConvertible {
    static let tables = ["customers", "products", "orders", "order_items", "reviews"]

    var counts: [String: Int] = [:]
    var digests: [String: String] = [:]

    /// Reads `db`'s shop tables (rows in id order, each as its composite text form).
    static func of(_ db: TestDatabase) async throws -> ShopChecksums {
        try await db.withConnection { connection in
            var checksums = ShopChecksums()
            for table in tables {
                let row = try connection.query(
                    """
                    SELECT count(*) AS n, coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t.id)), '') AS digest
                    FROM shop.\(identifier: table) AS t
                    """)[0]
                checksums.counts[table] = try row.decode(Int.self, "n")
                checksums.digests[table] = try row.decode(String.self, "digest")
            }
            return checksums
        }
    }

    var description: String {
        Self.tables.map { "\($0): \(counts[$0] ?? 0) rows, md5 \(digests[$0] ?? "")" }.joined(separator: "; ")
    }
}
