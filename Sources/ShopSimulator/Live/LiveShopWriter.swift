import Foundation
import Postgres
import ShopGenerator

/// Plays a ``LiveEventSource`` into the shop tables in real time: each event is inserted when its timestamp
/// comes, with ordinary INSERTs in a transaction of its own (an order together with its items), so Ondo's
/// triggers fire per event exactly as for a real shop's traffic.
///
/// The source's events are spaced for its rate; a writer that falls behind (a slow database) inserts the
/// overdue events at once, in batches, and never sleeps while behind.
public struct LiveShopWriter: Sendable {
    /// The events to insert.
    public let source: LiveEventSource
    /// The highest ids in use when the source was made; order items are numbered after `after.orderItems`.
    public let after: ShopHighestIds

    /// Events inserted per trip to the connection's thread when behind schedule.
    static let batchLimit = 200

    /// A writer of `source`'s events into a shop whose highest ids are `after`.
    public init(source: LiveEventSource, after: ShopHighestIds) {
        self.source = source
        self.after = after
    }

    /// Inserts events as they come due on `pool` (whose connections write as the shop: see ``ShopRole``) until
    /// `duration` has passed and every event due within it is written (forever when nil), or the task is
    /// cancelled; reports after every batch. Throws ``ShopWriteError`` when the next event's id (or its order
    /// items') would pass the largest bigint, after writing every event before it.
    @discardableResult
    public func run(
        pool: PostgresPool, duration: Duration?, onProgress: @Sendable (LiveWriteStatistics) -> Void = { _ in }
    ) async throws -> LiveWriteStatistics {
        var events = source.makeIterator()
        var upcoming = events.next()
        let startSeconds = source.start.timeIntervalSince1970
        let began = ContinuousClock.now
        var statistics = LiveWriteStatistics()
        // The highest order item id taken: the next is one more (`after.orderItems + 1` trapped at Int64.max).
        var lastItemId = after.orderItems
        while !Task.isCancelled {
            let elapsed = began.duration(to: .now)
            // Once the duration is over, only what came due within it is still written: a writer that fell behind
            // (a slow database, a starved process) writes the duration's whole traffic, then stops.
            let over = duration.map { elapsed >= $0 } ?? false
            let horizon = over ? (duration ?? elapsed) / .seconds(1) : elapsed / .seconds(1)
            var due: [ShopEvent] = []
            while let event = upcoming, event.timestamp.timeIntervalSince1970 - startSeconds <= horizon,
                due.count < Self.batchLimit
            {
                due.append(event)
                upcoming = events.next()
            }
            if due.isEmpty && over { break }
            if due.isEmpty, upcoming == nil, let table = events.idsRanOut {
                throw Self.idsRanOut(table, written: statistics)
            }
            let elapsedSeconds = elapsed / .seconds(1)
            if due.isEmpty {
                let wait = (upcoming?.timestamp.timeIntervalSince1970 ?? startSeconds) - startSeconds - elapsedSeconds
                let remaining = duration.map { ($0 - elapsed) / .seconds(1) } ?? wait
                try? await Task.sleep(for: .seconds(max(0.001, min(wait, remaining, 0.5))))
                continue
            }
            // An order whose items' ids would pass the largest ends the batch before it, and the writing after it.
            var batch = due
            var itemsRanOut = false
            var itemIds = lastItemId
            for (index, event) in due.enumerated() {
                guard case .order(let order) = event else { continue }
                let (last, overflow) = itemIds.addingReportingOverflow(Int64(order.items.count))
                if overflow {
                    batch = Array(due[..<index])
                    itemsRanOut = true
                    break
                }
                itemIds = last
            }
            let written = batch
            let itemsBefore = lastItemId
            if !written.isEmpty {
                lastItemId = try await pool.withConnection { connection in
                    var itemId = itemsBefore
                    for event in written { try Self.insert(event, lastItemId: &itemId, on: connection) }
                    return itemId
                }
            }
            for event in batch {
                switch event {
                case .customer: statistics.customers += 1
                case .order: statistics.orders += 1
                case .review: statistics.reviews += 1
                }
            }
            statistics.elapsedSeconds = began.duration(to: .now) / .seconds(1)
            onProgress(statistics)
            if itemsRanOut { throw Self.idsRanOut("order_items", written: statistics) }
        }
        statistics.elapsedSeconds = began.duration(to: .now) / .seconds(1)
        return statistics
    }

    /// Live traffic stopped because `table`'s next id would pass the largest bigint.
    static func idsRanOut(_ table: String, written: LiveWriteStatistics) -> ShopWriteError {
        ShopWriteError(
            "live traffic stopped: the next id of shop.\(table) would pass the largest id PostgreSQL's bigint holds "
                + "(\(Int64.max)); \(written.events) events were written before it")
    }

    /// Inserts one event as the shop would; an order and its items commit together. An order's items take the ids
    /// after `lastItemId`, which then names the last of them (the caller checked that they do not pass `Int64.max`).
    static func insert(_ event: ShopEvent, lastItemId: inout Int64, on connection: PostgresConnection) throws {
        switch event {
        case .customer(let c):
            try connection.execute(
                """
                INSERT INTO shop.customers (id, email, phone, name, marketing_consent, night_consent, created_at)
                VALUES (\(c.id), \(c.email), \(c.phone), \(c.name), \(c.marketingConsent), \(c.nightConsent), \(c.createdAt))
                """)
        case .order(let o):
            let ids = o.items.indices.map { lastItemId + 1 + Int64($0) }
            try connection.withTransaction { connection in
                try connection.execute(
                    """
                    INSERT INTO shop.orders (id, customer_id, ordered_at, total, status, coupon_code)
                    VALUES (\(o.id), \(o.customerId), \(o.orderedAt), \(o.totalWon), \(o.status.rawValue), \(o.couponCode))
                    """)
                try connection.execute(
                    """
                    INSERT INTO shop.order_items (id, order_id, product_id, quantity, unit_price)
                    SELECT item.id, \(o.id), item.product_id, item.quantity, item.unit_price
                    FROM unnest(\(ids)::bigint[], \(o.items.map(\.productId))::bigint[],
                                \(o.items.map(\.quantity))::integer[], \(o.items.map(\.unitPriceWon))::bigint[])
                         AS item (id, product_id, quantity, unit_price)
                    """)
            }
            lastItemId += Int64(o.items.count)
        case .review(let r):
            try connection.execute(
                """
                INSERT INTO shop.reviews (id, customer_id, product_id, order_id, rating, body, created_at)
                VALUES (\(r.id), \(r.customerId), \(r.productId), \(r.orderId), \(r.rating), \(r.body), \(r.createdAt))
                """)
        }
    }
}
