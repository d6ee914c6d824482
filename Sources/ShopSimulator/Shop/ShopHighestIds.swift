import Postgres
import ShopGenerator

/// The highest id in use in each shop table (0 for an empty table). Generated rows are numbered after them
/// when appending, and live events continue after them.
public struct ShopHighestIds: Sendable, Hashable {
    /// Highest `shop.customers.id`.
    public var customers: Int64
    /// Highest `shop.products.id`.
    public var products: Int64
    /// Highest `shop.orders.id`.
    public var orders: Int64
    /// Highest `shop.order_items.id`.
    public var orderItems: Int64
    /// Highest `shop.reviews.id`.
    public var reviews: Int64

    /// An empty shop: every table starts at id 1.
    public static let none = ShopHighestIds(customers: 0, products: 0, orders: 0, orderItems: 0, reviews: 0)

    /// Highest ids from known values.
    public init(customers: Int64, products: Int64, orders: Int64, orderItems: Int64, reviews: Int64) {
        self.customers = customers
        self.products = products
        self.orders = orders
        self.orderItems = orderItems
        self.reviews = reviews
    }

    /// The highest id of `table`.
    public subscript(table: ShopTable) -> Int64 {
        switch table {
        case .customers: customers
        case .products: products
        case .orders: orders
        case .orderItems: orderItems
        case .reviews: reviews
        }
    }

    /// True when no table has a row.
    public var isEmpty: Bool { ShopTable.allCases.allSatisfy { self[$0] == 0 } }

    /// A phrase per table whose next live event would take an id past `Int64.max` (`shop.customers (highest id
    /// 9223372036854775807)`): a table that has no room for even the smallest event of its kind. Order items need
    /// room for the smallest order's items (one), not for the largest's: the live writer stops at the first order
    /// that does not fit, with an error naming the table, after writing every event before it, as it stops at the
    /// first sign-up or review without an id. (Asking for the most items refused a shop whose orders had room.)
    public func tablesWithoutRoomForALiveEvent() -> [String] {
        let room: [(ShopTable, Int64)] = [
            (.customers, 1), (.orders, 1), (.orderItems, Int64(ShopGenerator.fewestItemsPerOrder)), (.reviews, 1),
        ]
        return room.compactMap { table, needed in
            self[table] > Int64.max - needed ? "shop.\(table.name) (highest id \(self[table]))" : nil
        }
    }

    /// Where a live event source continues.
    public var watermark: ShopWatermark { ShopWatermark(customer: customers, order: orders, review: reviews) }

    /// Reads the highest ids (each an index-only look-up of the primary key).
    public static func read(on connection: PostgresConnection) throws -> ShopHighestIds {
        guard
            let row = try connection.query(
                """
                SELECT (SELECT coalesce(max(id), 0) FROM shop.customers) AS customers,
                       (SELECT coalesce(max(id), 0) FROM shop.products) AS products,
                       (SELECT coalesce(max(id), 0) FROM shop.orders) AS orders,
                       (SELECT coalesce(max(id), 0) FROM shop.order_items) AS order_items,
                       (SELECT coalesce(max(id), 0) FROM shop.reviews) AS reviews
                """
            ).first
        else { return .none }
        return ShopHighestIds(
            customers: try row.decode(Int64.self, "customers"), products: try row.decode(Int64.self, "products"),
            orders: try row.decode(Int64.self, "orders"), orderItems: try row.decode(Int64.self, "order_items"),
            reviews: try row.decode(Int64.self, "reviews"))
    }
}
