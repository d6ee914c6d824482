import Foundation

/// One row of `shop.products`.
public struct GeneratedProduct: Sendable, Equatable, Hashable {
    /// The shop's product id (1-based).
    public var id: Int64
    /// A unique stock-keeping unit, category code plus id (`CL-000042`).
    public var sku: String
    /// A Korean product name (오버핏 코튼 티셔츠 블랙).
    public var name: String
    /// The Korean category name (의류, 신발, …).
    public var category: String
    /// The list price in whole won.
    public var priceWon: Int64

    /// The list price in won, as the `numeric` column takes it.
    public var price: Decimal { Decimal(priceWon) }

    /// Creates a product row.
    public init(id: Int64, sku: String, name: String, category: String, priceWon: Int64) {
        self.id = id
        self.sku = sku
        self.name = name
        self.category = category
        self.priceWon = priceWon
    }
}
