import Foundation
import Postgres
import ShopGenerator

/// Writes a generated shop into the `shop` tables with COPY, in one transaction: customers, products, orders,
/// order items, reviews. Ids are numbered after ``after`` (all zero for an empty shop); order items, which the
/// generator does not number, get consecutive ids in order.
///
/// Connect as the shop (``ShopRole``): Ondo's triggers fire as for the shop's own writes — one statement-level
/// enqueue of review or customer work per COPY. Each COPY statement carries at most ``rowsPerStatement`` rows,
/// so those triggers see bounded batches.
public struct ShopDataWriter: Sendable {
    /// The shop to write.
    public let generator: ShopGenerator
    /// The highest ids already in use; the written rows come after them.
    public let after: ShopHighestIds
    /// Rows per COPY statement.
    public var rowsPerStatement = 100_000

    /// A writer of `generator`'s rows numbered after `after`.
    public init(generator: ShopGenerator, after: ShopHighestIds = .none) {
        self.generator = generator
        self.after = after
    }

    /// A phrase per table whose new ids would pass the largest id a `bigint` holds (a shop that numbers its rows
    /// near it); empty when every id fits. Order items count at most four an order.
    public func idsPastTheLargest() -> [String] {
        let options = generator.options
        let counts: [(ShopTable, Int)] = [
            (.customers, options.customers), (.products, options.products), (.orders, options.orders),
            (.orderItems, options.orders * ShopGenerator.mostItemsPerOrder), (.reviews, options.reviews),
        ]
        return counts.compactMap { table, count in
            guard count > 0, after[table].addingReportingOverflow(Int64(count)).overflow else { return nil }
            return "shop.\(table.name) (ids up to \(after[table]), and \(count) more would pass \(Int64.max))"
        }
    }

    /// A phrase per table that already has rows with ids this writer would use (`shop.customers (ids 1…3000)`);
    /// empty when the write cannot collide.
    public func collisions(on connection: PostgresConnection) throws -> [String] {
        let options = generator.options
        let counts: [(ShopTable, Int)] = [
            (.customers, options.customers), (.products, options.products), (.orders, options.orders),
            (.orderItems, options.orders), (.reviews, options.reviews),
        ]
        var found: [String] = []
        for (table, count) in counts where count > 0 {
            let first = after[table] + 1
            // Order items are counted only while writing: any row above the first id collides.
            let (end, overflow) = after[table].addingReportingOverflow(Int64(count))
            let last = table == .orderItems || overflow ? Int64.max : end
            let taken = try connection.queryValue(
                Bool.self,
                "SELECT EXISTS (SELECT 1 FROM shop.\(identifier: table.name) WHERE id BETWEEN \(first) AND \(last))")
            if taken {
                let range = table == .orderItems ? "from \(first) on" : "\(first)…\(last)"
                found.append("shop.\(table.name) (ids \(range))")
            }
        }
        return found
    }

    /// Writes every table in one transaction (nothing is written if anything fails) and returns the figures.
    /// `progress` is called every few thousand rows and when each table is done.
    public func write(
        on connection: PostgresConnection, progress: (ShopWriteProgress) -> Void = { _ in }
    ) throws -> ShopWriteReport {
        var report = ShopWriteReport(after: after)
        let started = ContinuousClock.now
        do {
            try connection.withTransaction { connection in
                // The bulk statements may take longer than an interactive statement timeout allows.
                try connection.execute("SET LOCAL statement_timeout = 0")
                let pastTheLargest = idsPastTheLargest()
                guard pastTheLargest.isEmpty else {
                    throw ShopWriteError(
                        "the new rows' ids would pass the largest id PostgreSQL's bigint holds: "
                            + "\(pastTheLargest.joined(separator: ", ")); nothing was written")
                }
                let collisions = try collisions(on: connection)
                guard collisions.isEmpty else {
                    throw ShopWriteError(
                        "the shop already has rows with the ids to be written: \(collisions.joined(separator: ", ")); "
                            + "run it again with --append to write after the highest ids, or use an empty database",
                        isIdCollision: true)
                }
                report.tables = try writeTables(on: connection, progress: progress)
            }
        } catch let error as PostgresError where Self.isIdCollision(error) {
            throw Self.concurrentWriteError(error)
        }
        report.totalSeconds = started.duration(to: .now) / .seconds(1)
        return report
    }

    /// A shop table's primary key violated: the check above found the ids free, so another writer (a second
    /// `ondo generate` or `ondo demo` on the same database) committed rows with them while this one wrote.
    private static func isIdCollision(_ error: PostgresError) -> Bool {
        error.hasSQLState(PostgresError.SQLState.uniqueViolation) && error.schema == "shop"
            && (error.constraint?.hasSuffix("_pkey") ?? false)
    }

    private static func concurrentWriteError(_ error: PostgresError) -> ShopWriteError {
        let table = error.table.map { "shop.\($0)" } ?? "a shop table"
        return ShopWriteError(
            "another writer put rows into \(table) with the ids being written (a second ondo generate or ondo demo "
                + "on the same database?) while this one wrote; nothing was written; run it again once the other "
                + "is done (with --append to write after the highest ids)",
            isIdCollision: true)
    }

    private func writeTables(
        on connection: PostgresConnection, progress: (ShopWriteProgress) -> Void
    ) throws -> [ShopWriteReport.TableFigures] {
        let options = generator.options
        let rows = ShopRowEncoder(after: after, productsCreatedAt: options.start)
        var figures: [ShopWriteReport.TableFigures] = []

        figures.append(
            try copy(.customers, generator.customers(), total: options.customers, on: connection, progress: progress) {
                rows.customer($0)
            })
        figures.append(
            try copy(.products, generator.products(), total: options.products, on: connection, progress: progress) {
                rows.product($0)
            })

        var orders = generator.orders().makeIterator()
        var itemCount = 0
        figures.append(
            try copy(.orders, total: options.orders, on: connection, progress: progress) { writer in
                guard let order = orders.next() else { return false }
                try writer.append(rows.order(order))
                itemCount += order.items.count
                return true
            })

        // A second pass over the orders (generating is much cheaper than writing): COPY fills one table at a time.
        var itemOrders = generator.orders().makeIterator()
        var nextItemId = after.orderItems
        figures.append(
            try copy(.orderItems, total: itemCount, on: connection, progress: progress) { writer in
                guard let order = itemOrders.next() else { return false }
                for item in order.items {
                    nextItemId += 1
                    try writer.append(rows.item(item, id: nextItemId))
                }
                return true
            })

        figures.append(
            try copy(.reviews, generator.reviews(), total: options.reviews, on: connection, progress: progress) {
                rows.review($0)
            })
        return figures
    }

    /// Copies one row per element of `source` into `table`.
    private func copy<Source: Sequence>(
        _ table: ShopTable, _ source: Source, total: Int, on connection: PostgresConnection,
        progress: (ShopWriteProgress) -> Void, row: (Source.Element) -> [(any PostgresEncodable)?]
    ) throws -> ShopWriteReport.TableFigures {
        var elements = source.makeIterator()
        return try copy(table, total: total, on: connection, progress: progress) { writer in
            guard let element = elements.next() else { return false }
            try writer.append(row(element))
            return true
        }
    }

    /// Copies rows into `table` in statements of about ``rowsPerStatement`` rows; `appendNext` appends the next
    /// source element's rows and returns false when the source is exhausted.
    private func copy(
        _ table: ShopTable, total: Int, on connection: PostgresConnection, progress: (ShopWriteProgress) -> Void,
        appendNext: (inout PostgresCopyWriter) throws -> Bool
    ) throws -> ShopWriteReport.TableFigures {
        let started = ContinuousClock.now
        var written = 0
        var exhausted = total == 0
        var nextReport = 0
        while !exhausted {
            written += try connection.copyFrom(table: table.name, schema: "shop", columns: table.columns) { writer in
                while writer.rowCount < rowsPerStatement {
                    guard try appendNext(&writer) else {
                        exhausted = true
                        return
                    }
                    if written + writer.rowCount >= nextReport {
                        progress(
                            ShopWriteProgress(
                                table: table, written: written + writer.rowCount, total: total,
                                elapsedSeconds: started.duration(to: .now) / .seconds(1)))
                        nextReport = written + writer.rowCount + 10_000
                    }
                }
            }
        }
        let seconds = started.duration(to: .now) / .seconds(1)
        progress(ShopWriteProgress(table: table, written: written, total: total, elapsedSeconds: seconds))
        return ShopWriteReport.TableFigures(table: table, rows: written, seconds: seconds)
    }
}
