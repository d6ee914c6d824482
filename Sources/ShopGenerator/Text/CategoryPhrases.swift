/// The phrase tables narrowed to one product category, built once per category (a class, so that
/// composing a review retains one object rather than nine arrays).
final class CategoryPhrases: Sendable {
    /// The aspects reviews of this category talk about, with their relative frequency.
    let aspects: [ReviewAspect]
    /// Weights of ``aspects``, in the same order.
    let aspectWeights: [Double]
    /// Per aspect (same order as ``aspects``): praise, complaint and mild complaint groups.
    let praise: [[PhraseGroup]]
    let complaint: [[PhraseGroup]]
    let mildComplaint: [[PhraseGroup]]
    /// General clauses without an aspect.
    let generalPraise: [PhraseGroup]
    let generalMildPraise: [PhraseGroup]
    let generalComplaint: [PhraseGroup]
    let generalMildComplaint: [PhraseGroup]

    init(_ category: ProductCategory) {
        let name = category.name
        func fitting(_ groups: [PhraseGroup]) -> [PhraseGroup] { groups.filter { $0.fits(name) } }
        // An aspect takes part only if the category has clauses of every kind for it.
        let usable = category.weightedAspects.filter { entry in
            let phrases = AspectPhrases.of(entry.aspect)
            return [phrases.praise, phrases.complaint, phrases.mildComplaint].allSatisfy { !fitting($0).isEmpty }
        }
        aspects = usable.map(\.aspect)
        aspectWeights = usable.map(\.weight)
        praise = aspects.map { fitting(AspectPhrases.of($0).praise) }
        complaint = aspects.map { fitting(AspectPhrases.of($0).complaint) }
        mildComplaint = aspects.map { fitting(AspectPhrases.of($0).mildComplaint) }
        generalPraise = fitting(GeneralPhrases.praise)
        generalMildPraise = fitting(GeneralPhrases.mildPraise)
        generalComplaint = fitting(GeneralPhrases.complaint)
        generalMildComplaint = fitting(GeneralPhrases.mildComplaint)
    }

    /// The tables of every category, in ``ProductCategory/all`` order.
    static let all: [CategoryPhrases] = ProductCategory.all.map(CategoryPhrases.init)
}
