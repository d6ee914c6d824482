import Foundation

/// Everything the generator decides about one product, derived from the seed and the product id alone:
/// its row, and the hidden traits that shape its orders and reviews.
struct ProductProfile: Sendable {
    /// The product id.
    let id: Int64
    /// Index into ``ProductCategory/all``.
    let categoryIndex: Int
    /// Index into the category's nouns.
    let nounIndex: Int
    /// The list price in won.
    let priceWon: Int64
    /// Relative popularity (heavy-tailed: a few products sell most).
    let popularity: Double
    /// The aspect this product's unhappy customers complain about most.
    let weakAspect: ReviewAspect
    /// Whether the product is a dud that draws far more negative reviews than the rest.
    let isLemon: Bool
    /// Index into the category's modifiers, for the name.
    private let modifierIndex: Int
    /// Index into the category's variants plus one, or 0 for none.
    private let variantIndex: Int

    /// Share of products that are duds.
    static let lemonShare = 0.08

    /// The profile of product `id` in the shop seeded with `seed`.
    init(seed: UInt64, id: Int64) {
        var random = SplitMix64(seed: seed, stream: .product, index: UInt64(id))
        self.id = id
        categoryIndex = random.weightedIndex(ProductCategory.weights)
        let category = ProductCategory.all[categoryIndex]
        nounIndex = random.below(category.nouns.count)
        modifierIndex = random.below(category.modifiers.count)
        variantIndex = random.chance(0.6) ? 1 + random.below(category.variants.count) : 0
        priceWon = Self.price(in: category.priceRange, random: &random)
        // Pareto(α = 1.1) popularity: the top few percent of products take a large share of sales.
        popularity = pow(1 - random.unit(), -1 / 1.1)
        let aspects = category.weightedAspects
        weakAspect = aspects[random.weightedIndex(aspects.map(\.weight))].aspect
        isLemon = random.chance(Self.lemonShare)
    }

    /// The product's category.
    var category: ProductCategory { ProductCategory.all[categoryIndex] }

    /// What a shopper calls the product in a review (티셔츠).
    var noun: String { category.nouns[nounIndex] }

    /// The `shop.products` row.
    var row: GeneratedProduct {
        let category = self.category
        var name = category.modifiers[modifierIndex] + " " + category.nouns[nounIndex]
        if variantIndex > 0 { name += " " + category.variants[variantIndex - 1] }
        let digits = String(id)
        let sku = category.code + "-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
        return GeneratedProduct(id: id, sku: sku, name: name, category: category.name, priceWon: priceWon)
    }

    /// A log-uniform price in `range`, rounded the way shops price things (12,900 / 13,000 / 3,900 won).
    private static func price(in range: ClosedRange<Int64>, random: inout SplitMix64) -> Int64 {
        let low = log(Double(range.lowerBound))
        let high = log(Double(range.upperBound))
        let raw = Int64(exp(low + (high - low) * random.unit()))
        let thousands = max(1, raw / 1_000)
        let rounded = random.chance(0.8) ? thousands * 1_000 - 100 : thousands * 1_000
        return min(max(rounded, range.lowerBound), range.upperBound)
    }
}

extension ProductCategory {
    /// The categories' catalogue shares, in ``all`` order.
    static let weights: [Double] = all.map(\.weight)
}
