import Foundation

/// A seeded, deterministic generator of a realistic Korean online shop: customers, products, orders
/// with their items, and reviews whose text was written to express a known sentiment about known aspects.
///
/// Each table is a lazy sequence, so a shop of millions of rows streams in constant memory (plus a few
/// dozen bytes per product). Equal options give identical rows; each table draws from its own random
/// streams, so changing one count never changes the rows of tables that do not depend on it (customers and
/// products never change with the order or review counts). Rows are consistent across tables: orders
/// belong to existing customers and come after their signup, items name existing products, and a review is
/// written by the order's customer about one of its products after delivery.
public struct ShopGenerator: Sendable {
    let model: ShopModel

    /// The options the shop was generated from.
    public var options: ShopGeneratorOptions { model.options }

    /// The most items an order has (``OrderHistory`` draws one to four).
    public static let mostItemsPerOrder = 4

    /// The fewest items an order has: every order has one (a shop of one product has only orders of one).
    public static let fewestItemsPerOrder = 1

    /// Prepares a shop; throws ``ShopGeneratorError`` when the options are inconsistent.
    ///
    /// Preparation takes time proportional to the number of customers (about a second per ten million).
    public init(options: ShopGeneratorOptions) throws {
        let problems = options.problems()
        guard problems.isEmpty else { throw ShopGeneratorError(problems: problems) }
        model = ShopModel(options: options)
    }

    /// The `shop.customers` rows, ids 1…`options.customers` in signup order.
    public func customers() -> RowSequence<CustomerIterator> {
        RowSequence(count: options.customers, start: CustomerIterator(model: model))
    }

    /// The `shop.products` rows, ids 1…`options.products`.
    public func products() -> RowSequence<ProductIterator> {
        RowSequence(count: options.products, start: ProductIterator(model: model))
    }

    /// The `shop.orders` rows with their items, ids 1…`options.orders`, customer by customer.
    public func orders() -> RowSequence<OrderIterator> {
        RowSequence(count: options.orders, start: OrderIterator(model: model))
    }

    /// The `shop.reviews` rows, ids 1…`options.reviews`, customer by customer.
    public func reviews() -> RowSequence<ReviewIterator> {
        RowSequence(count: options.reviews, start: ReviewIterator(model: model))
    }

    /// Customer `id` (1…`options.customers`), without generating the others; nil when out of range.
    public func customer(id: Int64) -> GeneratedCustomer? {
        (1...Int64(max(options.customers, 1))).contains(id) && options.customers > 0 ? model.customer(id: id) : nil
    }

    /// Product `id` (1…`options.products`); nil when out of range.
    public func product(id: Int64) -> GeneratedProduct? {
        model.products.indices.contains(Int(id - 1)) ? model.products[Int(id - 1)].row : nil
    }
}
