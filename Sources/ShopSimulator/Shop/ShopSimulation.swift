import Foundation
import Logging
import Postgres
import ShopGenerator

/// A generated shop and a connection to the database it is written into, as the shop (``ShopRole``): the bulk
/// write of `ondo generate` and `ondo demo`, and the live traffic after it.
public struct ShopSimulation: Sendable {
    /// The shop.
    public let generator: ShopGenerator
    /// Where the rows go (no secrets).
    public let endpoint: String
    private let pool: PostgresPool

    /// Prepares `generator`'s shop for the database `configuration` names; connects when first used. The user
    /// must be allowed to become `ondo_shop` (a member of it, or an administrator).
    public init(generator: ShopGenerator, configuration: PostgresConfiguration, logger: Logger) throws {
        self.generator = generator
        endpoint = configuration.description
        pool = PostgresPool(
            configuration: try ShopRole.configuration(from: configuration), maxConnections: 1, logger: logger)
    }

    /// The highest ids now in the shop's tables.
    public func highestIds() async throws -> ShopHighestIds {
        try await withShopConnection { try ShopHighestIds.read(on: $0) }
    }

    /// Row counts of the shop's tables.
    public func rowCounts() async throws -> [ShopTable: Int] {
        try await withShopConnection { connection in
            var counts: [ShopTable: Int] = [:]
            for table in ShopTable.allCases {
                counts[table] = try connection.queryValue(
                    Int.self, "SELECT count(*) FROM shop.\(identifier: table.name)")
            }
            return counts
        }
    }

    /// Writes the whole shop in one transaction: numbered after the highest ids when `append` is set, else from
    /// id 1 — refused, with nothing written, if the tables already have rows with those ids.
    public func writeBulk(
        append: Bool, progress: @escaping @Sendable (ShopWriteProgress) -> Void = { _ in }
    ) async throws -> ShopWriteReport {
        let generator = generator
        return try await withShopConnection { connection in
            let after = append ? try ShopHighestIds.read(on: connection) : .none
            return try ShopDataWriter(generator: generator, after: after).write(on: connection, progress: progress)
        }
    }

    /// A service inserting live events at `rate` per second for `duration` (until shutdown when nil), after
    /// the highest ids now in the shop. Orders name the generator's products (ids 1…`products`), and go to
    /// customers up to the highest customer id and to those who sign up live. Throws ``ShopWriteError`` when a table
    /// has no id left after its highest for a first event.
    public func liveService(
        rate: Double, duration: Duration?, mix: LiveEventMix = .standard, logger: Logger,
        progress: @escaping @Sendable (LiveWriteStatistics) -> Void = { _ in }
    ) async throws -> LiveShopService {
        let after = try await highestIds()
        let full = after.tablesWithoutRoomForALiveEvent()
        guard full.isEmpty else {
            throw ShopWriteError(
                "live traffic takes new ids after the highest, and none is left below the largest id PostgreSQL's "
                    + "bigint holds (\(Int64.max)): \(full.joined(separator: ", ")); nothing was written live")
        }
        let source = try LiveEventSource(
            generator: generator, rate: rate, after: after.watermark, start: Date(), mix: mix)
        return LiveShopService(
            writer: LiveShopWriter(source: source, after: after), pool: pool, duration: duration, logger: logger,
            progress: progress)
    }

    /// Closes the connection (after any live service stopped).
    public func close() async {
        await pool.close()
    }

    private func withShopConnection<Result: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection) throws -> Result
    ) async throws -> Result {
        do {
            return try await pool.withConnection(body)
        } catch {
            throw ShopRole.explain(error, endpoint: endpoint)
        }
    }
}
