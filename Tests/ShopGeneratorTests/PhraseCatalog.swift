@testable import ShopGenerator

/// Every hand-written phrase of the review composer, enumerated for exhaustive checks.
enum PhraseCatalog {
    /// Aspect clause groups with their aspect.
    static let aspectGroups: [(aspect: ReviewAspect, group: PhraseGroup)] = ReviewAspect.allCases.flatMap { aspect in
        let phrases = AspectPhrases.of(aspect)
        return (phrases.praise + phrases.complaint + phrases.mildComplaint).map { (aspect, $0) }
    }

    /// General clause groups (no aspect).
    static let generalGroups: [PhraseGroup] =
        GeneralPhrases.praise + GeneralPhrases.mildPraise + GeneralPhrases.complaint + GeneralPhrases.mildComplaint

    /// Closing predicates.
    static let closings: [Predicate] =
        GeneralPhrases.closingPraise + GeneralPhrases.closingComplaint + GeneralPhrases.mildClosingComplaint

    /// Every predicate of every table.
    static let allPredicates: [Predicate] =
        aspectGroups.flatMap(\.group.predicates) + generalGroups.flatMap(\.predicates) + closings

    /// Every form a predicate takes in a review.
    static func forms(of predicate: Predicate) -> [String] {
        Register.allCases.flatMap { [predicate.finite($0), predicate.finite($0, exclaiming: true)] }
            + [predicate.linking, predicate.contrast]
    }

    /// Every text a group produces: each subject (with each fitting product noun) with each form of
    /// each predicate.
    static func renderings(of group: PhraseGroup) -> [String] {
        let nouns = ProductCategory.all.filter { group.fits($0.name) }.flatMap(\.nouns)
        let subjects = Set(group.subjects.flatMap { subject in nouns.map { PhraseGroup.fill(subject, noun: $0) } })
        return subjects.sorted().flatMap { subject in
            group.predicates.flatMap { predicate in
                forms(of: predicate).map { subject.isEmpty ? $0 : subject + " " + $0 }
            }
        }
    }
}
