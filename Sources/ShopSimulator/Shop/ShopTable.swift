/// A table of the shop contract that generated data is written into, in the order it is written.
public enum ShopTable: String, Sendable, CaseIterable, Hashable {
    /// `shop.customers`.
    case customers
    /// `shop.products`.
    case products
    /// `shop.orders`.
    case orders
    /// `shop.order_items`.
    case orderItems = "order_items"
    /// `shop.reviews`.
    case reviews

    /// The table's name in schema `shop`.
    public var name: String { rawValue }

    /// The columns written, in the order the row builders produce values.
    var columns: [String] {
        switch self {
        case .customers: ["id", "email", "phone", "name", "marketing_consent", "night_consent", "created_at"]
        case .products: ["id", "sku", "name", "category", "price", "created_at"]
        case .orders: ["id", "customer_id", "ordered_at", "total", "status", "coupon_code"]
        case .orderItems: ["id", "order_id", "product_id", "quantity", "unit_price"]
        case .reviews: ["id", "customer_id", "product_id", "order_id", "rating", "body", "created_at"]
        }
    }
}
